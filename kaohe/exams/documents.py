"""The drawn paper as .docx: version A or B (different order for neighbours), the answer sheet
and the key (for the team, once the sitting is closed)."""

from __future__ import annotations

from io import BytesIO

from django.conf import settings
from django.utils import translation
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from . import paper_engine as engine
from .models import Question
from .papers import paper_for, sections
from .services.sittings import paper_items, points_by_key

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def version_layout(sitting, version: str) -> list[dict]:
    paper = paper_items(sitting)
    counts = {
        engine.question_key(pk): len(options)
        for pk, options in Question.objects.filter(
            pk__in=[engine.key_pk(p["key"]) for p in paper]
        ).values_list("pk", "options")
    }
    return engine.layout(
        sitting.digest,
        paper,
        version,
        shuffle_questions=sitting.exam.shuffle_questions,
        shuffle_options=sitting.exam.shuffle_options,
        option_counts=counts,
    )


def _document() -> Document:
    doc = Document()
    section = doc.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21)
    section.left_margin = section.right_margin = Cm(2.2)
    section.top_margin = section.bottom_margin = Cm(2.0)
    style = doc.styles["Normal"]
    style.font.name = "仿宋_GB2312"
    style.font.size = Pt(12)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "仿宋_GB2312")
    return doc


def _title(doc, text: str, size: int = 16) -> None:
    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = p.add_run(text)
    run.bold = True
    run.font.size = Pt(size)


def _head(doc, sitting, version: str, what: str) -> None:
    _title(doc, f"{sitting.exam.title}（{version}卷）{what}")
    p = doc.add_paragraph(
        f"被考核单位：{sitting.subject.unit.name}    满分：{sitting.full_marks} 分    "
        f"时间：{sitting.exam.time_limit_minutes} 分钟"
    )
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    doc.add_paragraph("姓名：__________    职务：__________    座号：______")
    doc.add_paragraph(f"组卷摘要：{sitting.digest[:16]}…（种子 {sitting.seed}）").runs[
        0
    ].font.size = Pt(9)


def _paper(doc, items) -> None:
    for label, group in sections(items):
        doc.add_paragraph().add_run(label).bold = True
        for item in group:
            doc.add_paragraph(f"{item.number}. {item.stem}（{item.points} 分）")
            for shown, _original, text in item.options:
                doc.add_paragraph(f"    {shown}. {text}")
            if item.qtype == "tf":
                doc.add_paragraph("    （  ）对    （  ）错")
            if item.qtype == "short":
                for _ in range(6):
                    doc.add_paragraph("_" * 60)


def _sheet(doc, items) -> None:
    table = doc.add_table(rows=1, cols=3)
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, ("题号", "题型", "答案"), strict=True):
        cell.text = text
    for item in items:
        if item.qtype == "short":
            continue
        row = table.add_row().cells
        row[0].text, row[1].text = str(item.number), item.type_label
        row[2].text = (
            " ".join(f"□{shown}" for shown, _o, _t in item.options) if item.options else ""
        )
    doc.add_paragraph("简答题请在试卷上作答。")


def _key(doc, items) -> None:
    for item in items:
        doc.add_paragraph(f"{item.number}.【{item.type_label}】{item.key_text}（{item.points} 分）")
        if item.marking_points and item.qtype == "short":
            doc.add_paragraph(f"    评分要点：{item.marking_points}")


def paper_document(sitting, *, version: str, part: str) -> bytes:
    """The paper is an official document in Chinese whatever the language of the page."""
    with translation.override(settings.LANGUAGE_CODE):
        return _paper_document(sitting, version=version, part=part)


def _paper_document(sitting, *, version: str, part: str) -> bytes:
    items = paper_for(
        version_layout(sitting, version), points_by_key(sitting), with_key=part == "key"
    )
    doc = _document()
    _head(
        doc, sitting, version, {"paper": "", "sheet": "答题卡", "key": "参考答案及评分要点"}[part]
    )
    {"paper": _paper, "sheet": _sheet, "key": _key}[part](doc, items)
    buffer = BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
