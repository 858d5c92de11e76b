"""Word exports in seed 000's layout: landscape A4, title, two-row header repeated on every
page, first-level (and second-level) indicator cells merged downwards."""

import io

import docx
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from .exports import TASK_HEADERS, task_rows, tree_order

LEVEL_NAMES = ["一级指标", "二级指标", "三级指标"]


def _document(title: str):
    document = docx.Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Cm(1.8))
    style = document.styles["Normal"]
    style.font.size = Pt(10.5)
    style.font.name = "仿宋_GB2312"
    style.element.rPr.get_or_add_rFonts().set(qn("w:eastAsia"), "仿宋_GB2312")
    heading = document.add_paragraph()
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = heading.add_run(title)
    run.bold = True
    run.font.size = Pt(16)
    return document


def _repeat_header(row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    element = OxmlElement("w:tblHeader")
    element.set(qn("w:val"), "true")
    tr_pr.append(element)


def _grid(document, depth: int, headers: list[str], rows: list, widths: list[float]):
    """Header: 考核指标 over the level columns, other headers merged over two rows."""
    ncols = depth + len(headers)
    table = document.add_table(rows=2, cols=ncols)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.cell(0, 0).text = "考核指标"
    for level in range(depth):
        table.cell(1, level).text = LEVEL_NAMES[level]
    for index, text in enumerate(headers):
        table.cell(0, depth + index).text = text
    if depth > 1:
        table.cell(0, 0).merge(table.cell(0, depth - 1))
    for col in range(depth, ncols):
        table.cell(0, col).merge(table.cell(1, col))
    for row in table.rows[:2]:
        _repeat_header(row)
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
                for run in paragraph.runs:
                    run.bold = True
    starts: list = [None] * depth
    for names, cells in rows:
        new = table.add_row()
        for level in range(depth):
            key, name = names[level]
            if level < depth - 1 and key is not None and starts[level] and starts[level][0] == key:
                table.cell(starts[level][1], level).merge(new.cells[level])
            else:
                new.cells[level].text = name
                starts[level] = (key, len(table.rows) - 1)
        for index, text in enumerate(cells):
            new.cells[depth + index].text = "" if text is None else str(text)
    for row in table.rows:
        for index, width in enumerate(widths[:ncols]):
            row.cells[index].width = Cm(width)
    return table


def _save(document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def tasks_docx(scheme) -> bytes:
    """The task table (任务分解表) as seed 000 prints it."""
    depth, rows = task_rows(scheme)
    document = _document(f"{scheme.name}任务分解表")
    widths = [2.6] * depth + [6.5, 6.0, 2.6, 5.0, 2.2]
    _grid(document, depth, TASK_HEADERS, rows, widths)
    return _save(document)


def indicators_docx(scheme) -> bytes:
    """The indicator tree with codes, scores and methods, in the same layout."""
    ordered = tree_order(scheme)
    depth = max([2] + [i.level for i in ordered])
    by_pk = {i.pk: i for i in ordered}
    parents = {i.parent_id for i in ordered}
    rows = []
    for ind in ordered:
        if ind.pk in parents:
            continue
        chain = [ind]
        while chain[0].parent_id:
            chain.insert(0, by_pk[chain[0].parent_id])
        names = [(c.pk, f"{c.code} {c.name}") for c in chain] + [(None, "")] * (depth - len(chain))
        score = "" if ind.max_score is None else f"{ind.max_score.normalize():f}"
        rows.append((names, [score, ind.get_method_display(), ind.content, ind.requirement]))
    document = _document(f"{scheme.name}指标体系")
    widths = [3.0] * depth + [1.6, 2.4, 7.0, 7.0]
    _grid(document, depth, ["分值", "评分方式", "考核内容", "考核要求"], rows, widths)
    return _save(document)
