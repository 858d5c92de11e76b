"""Printable .docx files: the visit schedule and the draw certificate (to sign on site)."""

from __future__ import annotations

import functools
from io import BytesIO

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from . import draw_engine
from .choices import DrawStatus
from .presets import stratum_label
from .services.draws import draw_members, draw_rule, draw_selected


def _official(build):
    """Documents are official Chinese texts: labels and rule words in them are not translated
    into the page's language."""

    @functools.wraps(build)
    def wrapper(*args, **kwargs):
        with translation.override(settings.LANGUAGE_CODE):
            return build(*args, **kwargs)

    return wrapper


def _document() -> Document:
    doc = Document()
    section = doc.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21)
    section.left_margin = section.right_margin = Cm(2.2)
    section.top_margin = section.bottom_margin = Cm(2.2)
    style = doc.styles["Normal"]
    style.font.name = "仿宋_GB2312"
    style.font.size = Pt(12)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "仿宋_GB2312")
    return doc


def _title(doc, text: str) -> None:
    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = p.add_run(text)
    run.bold = True
    run.font.size = Pt(18)
    run.font.name = "黑体"
    run._element.rPr.rFonts.set(qn("w:eastAsia"), "黑体")


def _table(doc, headers, rows):
    table = doc.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        cell.text = ""
        cell.paragraphs[0].add_run(str(text)).bold = True
    for row in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, row, strict=True):
            cell.text = "" if value is None else str(value)
    return table


def _bytes(doc) -> bytes:
    buffer = BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


@_official
def schedule_docx(scheme, visits) -> bytes:
    doc = _document()
    _title(doc, f"{scheme.name}实地考核日程安排表")
    if scheme.onsite_start and scheme.onsite_end:
        p = doc.add_paragraph(
            f"实地考核时间：{scheme.onsite_start:%Y年%m月%d日}至{scheme.onsite_end:%Y年%m月%d日}"
        )
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    rows = []
    for index, visit in enumerate(visits, start=1):
        rows.append(
            [
                index,
                f"{visit.date:%m月%d日}" if visit.date else "待定",
                visit.time_slot,
                visit.subject.unit.name,
                visit.team.name,
                visit.place,
                visit.note,
            ]
        )
    _table(doc, ["序号", "日期", "时间", "考核对象", "考核组", "地点", "备注"], rows)
    teams = {v.team_id: v.team for v in visits}
    if teams:
        doc.add_paragraph()
        doc.add_paragraph("考核组组成：").runs[0].bold = True
        for team in teams.values():
            people = team.people()
            members = "、".join(str(u) for u in people[1:]) or "—"
            doc.add_paragraph(f"{team.name}：组长 {people[0]}；成员 {members}")
    doc.add_paragraph(f"打印时间：{timezone.localtime():%Y-%m-%d %H:%M}")
    return _bytes(doc)


def describe_rule(rule: dict) -> list[str]:
    """The rule in words, for pages (in their language) and the certificate (in Chinese)."""
    lines = []
    if rule.get("per_group") is not None:
        if rule.get("group_count") is None:
            lines.append(_("每个分组抽取 %(n)s 个") % {"n": rule["per_group"]})
        else:
            text = _("随机选 %(groups)s 个分组，每组抽取 %(n)s 个")
            lines.append(text % {"groups": rule["group_count"], "n": rule["per_group"]})
    elif rule.get("count_min") == rule.get("count_max"):
        lines.append(_("抽取 %(n)s 个") % {"n": rule["count_min"]})
    else:
        text = _("抽取 %(min)s 至 %(max)s 个（数量由种子确定）")
        lines.append(text % {"min": rule["count_min"], "max": rule["count_max"]})
    if rule.get("exclude_strata"):
        names = _("、").join(str(stratum_label(s)) for s in rule["exclude_strata"])
        lines.append(_("排除：%(names)s") % {"names": names})
    if rule.get("exclude_keys"):
        lines.append(_("排除编号：%(keys)s") % {"keys": _("、").join(rule["exclude_keys"])})
    for quota in rule.get("quotas") or []:
        lines.append(
            _("%(label)s：%(parts)s") % {"label": quota["label"], "parts": _quota_words(quota)}
        )
    return lines


def _quota_words(quota: dict) -> str:
    parts = []
    if quota.get("min_percent") is not None:
        parts.append(_("不少于 %(percent)s%%") % {"percent": quota["min_percent"]})
    if quota.get("min") is not None and quota.get("min") == quota.get("max"):
        parts.append(_("恰好 %(n)s 个") % {"n": quota["min"]})
    else:
        if quota.get("min") is not None:
            parts.append(_("至少 %(n)s 个") % {"n": quota["min"]})
        if quota.get("max") is not None:
            parts.append(_("至多 %(n)s 个") % {"n": quota["max"]})
    return _("，").join(parts or [_("不限")])


def _certificate_info(draw, verification) -> list[tuple[str, str]]:
    """The label/value pairs that identify the draw and let anyone re-compute it."""
    subject = draw.subject
    info = [
        ("考核方案", draw.scheme.name),
        ("考核对象", subject.unit.name),
        ("抽取事项", draw.title),
        ("记录编号", f"#{draw.pk}"),
        ("抽取规则", "；".join(describe_rule(draw_rule(draw)))),
        ("名单来源", draw.get_source_display()),
        ("名单数量", str(len(draw_members(draw)))),
        ("名单摘要 SHA-256", draw.population_sha256),
        (
            "随机种子",
            f"{draw.seed}（{draw.get_seed_source_display()}，"
            f"公布于 {timezone.localtime(draw.seed_announced_at):%Y-%m-%d %H:%M:%S}）"
            if draw.seed
            else "未公布",
        ),
        ("抽取摘要 SHA-256", draw.digest or "—"),
        ("抽取人", str(draw.drawn_by or "—")),
        (
            "抽取时间",
            f"{timezone.localtime(draw.drawn_at):%Y-%m-%d %H:%M:%S}" if draw.drawn_at else "—",
        ),
        ("算法", f"{draw_engine.ALGORITHM}（见系统文档“随机抽取算法”，可独立复算）"),
    ]
    if draw.status == DrawStatus.CANCELLED:
        info.append(("状态", f"已作废：{draw.cancel_reason}"))
    if verification is not None:
        info.append(("复核", "复算结果一致" if verification.ok else "复算结果不一致！"))
    return info


def _member_table(doc, heading: str, members) -> None:
    """A bold heading and a numbered table of draw members (key, name, stratum, group)."""
    doc.add_paragraph()
    doc.add_paragraph(heading).runs[0].bold = True
    _table(
        doc,
        ["序号", "编号", "名称", "类别", "分组"],
        [
            [i, m["key"], m["label"], stratum_label(m["stratum"]), m["group"]]
            for i, m in enumerate(members, start=1)
        ],
    )


@_official
def certificate_docx(draw, verification=None) -> bytes:
    """Everything needed to re-compute the draw by hand, and lines for signatures."""
    doc = _document()
    _title(doc, "随机抽取记录（证明）")
    info = _certificate_info(draw, verification)
    table = doc.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    for label, value in info:
        cells = table.add_row().cells
        cells[0].text, cells[1].text = label, value
        cells[0].width, cells[1].width = Cm(4), Cm(12.6)
    _member_table(doc, "抽取结果（按抽取顺序）：", draw_selected(draw))
    _member_table(doc, "抽取范围（规范顺序）：", draw_members(draw))
    doc.add_paragraph()
    doc.add_paragraph("考核组签字：____________________    日期：__________")
    doc.add_paragraph("被考核单位签字：________________    日期：__________")
    doc.add_paragraph("监督人签字：____________________    日期：__________")
    return _bytes(doc)
