"""The results notice as a Word file laid out per GB/T 9704-2012 (党政机关公文格式).

A4, margins 37/35/28/26 mm (text block 156 × 225 mm), a document grid of 22 lines × 28
characters, red issuing-office mark, document number, red rule, 2号 小标宋 title, 3号 仿宋
body with headings in 黑体 / 楷体, 版记 between rules, "— 1 —" page numbers alternating
right (odd) and left (even). East-Asian fonts are set through w:eastAsia.
"""

import math
import re
from io import BytesIO

from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from ..notice_content import SECTION_TITLES, cn_date, cn_number, grade_lists
from .pages import _record_on_even_page, estimate_pages, record_page
from .xml import (
    BODY_PT,
    CHARS,
    FANGSONG,
    HEITI,
    KAITI,
    LINES,
    MARGINS_MM,
    PAGE_NUMBER_PT,
    PBDR_SUCCESSORS,
    RED,
    SONGTI,
    TITLE_PT,
    XIAOBIAOSONG,
    _border,
    _exact,
    _indent_chars,
    no_grid_snap,
    set_fonts,
)

HEADING_1 = re.compile(r"^[一二三四五六七八九十]+、")
HEADING_2 = re.compile(r"^[（(][一二三四五六七八九十]+[）)]")

__all__ = ["build_notice", "estimate_pages", "grid_values", "record_page", "set_fonts"]


def _text_width_twips(section) -> int:
    return section.page_width.twips - section.left_margin.twips - section.right_margin.twips


def _text_height_twips(section) -> int:
    return section.page_height.twips - section.top_margin.twips - section.bottom_margin.twips


def grid_values(section) -> tuple[int, int]:
    """(linePitch, charSpace) giving exactly 22 lines and 28 characters of 3号 text."""
    line_pitch = math.floor(_text_height_twips(section) / LINES)
    char_pitch_pt = _text_width_twips(section) / CHARS / 20
    char_space = math.floor((char_pitch_pt - BODY_PT) * 4096)
    return line_pitch, char_space


def _page_setup(document) -> None:
    section = document.sections[0]
    section.start_type = WD_SECTION.NEW_PAGE
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin = Mm(MARGINS_MM["top"])
    section.bottom_margin = Mm(MARGINS_MM["bottom"])
    section.left_margin = Mm(MARGINS_MM["left"])
    section.right_margin = Mm(MARGINS_MM["right"])
    section.header_distance = Mm(15)
    section.footer_distance = Mm(21)
    line_pitch, char_space = grid_values(section)
    sect = section._sectPr
    grid = sect.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        sect.append(grid)
    grid.set(qn("w:type"), "linesAndChars")
    grid.set(qn("w:linePitch"), str(line_pitch))
    grid.set(qn("w:charSpace"), str(char_space))


def _default_font(document) -> None:
    """3号 仿宋 in the Normal style and in the document defaults (the grid's base size)."""
    defaults = document.styles.element.find(qn("w:docDefaults"))
    base = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    for tag in ("w:sz", "w:szCs"):
        base.find(qn(tag)).set(qn("w:val"), str(BODY_PT * 2))
    base.find(qn("w:lang")).set(qn("w:eastAsia"), "zh-CN")
    style = document.styles["Normal"]
    style.font.size = Pt(BODY_PT)
    rpr = style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(slot), FANGSONG)


def _page_number_field(paragraph) -> None:
    def add(tag, **attrs):
        run = paragraph.add_run()
        set_fonts(run, SONGTI, PAGE_NUMBER_PT)
        el = OxmlElement(tag)
        for key, value in attrs.items():
            el.set(qn(key), value)
        if tag == "w:instrText":
            el.set(qn("xml:space"), "preserve")
            el.text = " PAGE "
        run._r.append(el)
        return run

    set_fonts(paragraph.add_run("— "), SONGTI, PAGE_NUMBER_PT)
    add("w:fldChar", **{"w:fldCharType": "begin"})
    add("w:instrText")
    add("w:fldChar", **{"w:fldCharType": "separate"})
    set_fonts(paragraph.add_run("1"), SONGTI, PAGE_NUMBER_PT)
    add("w:fldChar", **{"w:fldCharType": "end"})
    set_fonts(paragraph.add_run(" —"), SONGTI, PAGE_NUMBER_PT)


def _page_numbers(document) -> None:
    """Odd pages: right, one character in; even pages: left, one character in."""
    document.settings.odd_and_even_pages_header_footer = True
    section = document.sections[0]
    for footer, align, side in (
        (section.footer, WD_ALIGN_PARAGRAPH.RIGHT, "right"),
        (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT, "left"),
    ):
        footer.is_linked_to_previous = False
        paragraph = footer.paragraphs[0]
        paragraph.alignment = align
        _indent_chars(paragraph, size_pt=PAGE_NUMBER_PT, **{side: 1})
        no_grid_snap(paragraph)
        _page_number_field(paragraph)


def _para(document, text="", *, font=FANGSONG, size=BODY_PT, align=None, color=None):
    paragraph = document.add_paragraph()
    _exact(paragraph)
    no_grid_snap(paragraph)
    if align is not None:
        paragraph.alignment = align
    if text:
        set_fonts(paragraph.add_run(text), font, size, color=color)
    return paragraph


def body_paragraph(document, line: str):
    """A body line: 2-character first-line indent; a leading heading number picks the font."""
    paragraph = _para(document, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    _indent_chars(paragraph, first=2)
    if HEADING_1.match(line) and len(line) <= 40 and not line.endswith("。"):
        set_fonts(paragraph.add_run(line), HEITI, BODY_PT)
        return paragraph
    match = HEADING_2.match(line)
    if match:
        # （一）heading in 楷体 up to the first full stop; the rest of the line is body text.
        end = line.find("。")
        head = line if end < 0 else line[: end + 1]
        set_fonts(paragraph.add_run(head), KAITI, BODY_PT)
        if end >= 0 and line[end + 1 :]:
            set_fonts(paragraph.add_run(line[end + 1 :]), FANGSONG, BODY_PT)
        return paragraph
    set_fonts(paragraph.add_run(line), FANGSONG, BODY_PT)  # 1. and （1） stay in 仿宋
    return paragraph


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _mark_size(text: str) -> float:
    """Largest of 初号 (42 pt) that keeps the mark on one line of the 156 mm text block."""
    if not text:
        return 42
    width_pt = 156 / 25.4 * 72
    return max(22, min(42, math.floor(width_pt / len(text))))


def _header(document, notice) -> None:
    mark = f"{notice.issuing_office}文件"
    _para(document)
    paragraph = _para(document, mark, font=XIAOBIAOSONG, size=_mark_size(mark), color=RED)
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _exact(paragraph, Pt(max(28.95, _mark_size(mark) * 1.2)))
    no_grid_snap(paragraph)
    _para(document)
    _para(document)
    number = _para(document, notice.doc_number, align=WD_ALIGN_PARAGRAPH.CENTER)
    # The red rule: 4 mm under the number, across the whole text block (no indents).
    _border(number, "bottom", color=RED, size=12, space=11)
    _para(document)
    _para(document)


def _record_block(document, notice) -> None:
    """版记: 印发机关 left, 印发日期 right, between a top and a bottom rule."""
    _para(document)
    paragraph = _para(document)
    no_grid_snap(paragraph)
    _border(paragraph, "top", size=8)
    _border(paragraph, "bottom", size=8)
    section = document.sections[0]
    paragraph.paragraph_format.tab_stops.add_tab_stop(
        section.page_width - section.left_margin - section.right_margin - Pt(14),
        WD_TAB_ALIGNMENT.RIGHT,
    )
    printed = cn_date(notice.print_date or notice.issue_date)
    text = f"\u3000{notice.printer or notice.issuing_office}\t{printed}印发"
    set_fonts(paragraph.add_run(text), FANGSONG, 14)
    _pin_to_page_bottom(paragraph, _text_width_twips(section))
    return paragraph


def _pin_to_page_bottom(paragraph, width_twips: int) -> None:
    """A frame anchored to the margins, aligned to the bottom: 版记 sits at the foot of the
    text block of the last page, as GB/T 9704 asks, however long the body is."""
    ppr = paragraph._p.get_or_add_pPr()
    frame = OxmlElement("w:framePr")
    for key, value in (
        ("w:w", str(width_twips)),
        ("w:wrap", "around"),
        ("w:hAnchor", "margin"),
        ("w:vAnchor", "margin"),
        ("w:xAlign", "center"),
        ("w:yAlign", "bottom"),
    ):
        frame.set(qn(key), value)
    successors = {qn(f"w:{t}") for t in ("widowControl", "numPr", "suppressLineNumbers", "pBdr")}
    successors |= {qn(f"w:{t}") for t in PBDR_SUCCESSORS}
    anchor = next((child for child in ppr if child.tag in successors), None)
    if anchor is not None:
        anchor.addprevious(frame)
    else:
        ppr.append(frame)


def build_notice(notice, *, order: str | None = None, push: int | None = None) -> bytes:
    """The whole notice as .docx bytes. `push` (0–2 pages) overrides the estimate that puts
    the 版记 on an even page (the PDF export measures LibreOffice's own layout and sets it)."""
    document = Document()
    _page_setup(document)
    _default_font(document)
    _page_numbers(document)
    _header(document, notice)
    title = _para(document, notice.title, font=XIAOBIAOSONG, size=TITLE_PT)
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _exact(title, Pt(35))
    no_grid_snap(title)
    _para(document)
    addressees = (notice.addressees or "").strip()
    if addressees and not addressees.endswith("："):
        addressees = addressees.rstrip(":：") + "："
    _para(document, addressees, align=WD_ALIGN_PARAGRAPH.LEFT)
    for line in _lines(notice.intro):
        body_paragraph(document, line)
    categories = grade_lists(notice.scheme, order or notice.order)
    # Sections left empty are omitted; the numbering follows the sections printed.
    sections = [(k, h) for k, h in SECTION_TITLES if k == "results" or _lines(getattr(notice, k))]
    for number, (key, heading) in enumerate(sections, start=1):
        body_paragraph(document, f"{cn_number(number)}、{heading}")
        if key == "results":
            for index, category in enumerate(categories, start=1):
                body_paragraph(document, f"（{cn_number(index)}）{category.name}")
                for line in category.lines():
                    body_paragraph(document, line)
            continue
        for line in _lines(getattr(notice, key)):
            body_paragraph(document, line)
    for line in _lines(notice.closing):
        body_paragraph(document, line)
    _para(document)
    _para(document)
    signature = _para(document, notice.signature or notice.issuing_office)
    signature.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _indent_chars(signature, right=2)
    date_line = _para(document, cn_date(notice.issue_date))
    date_line.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _indent_chars(date_line, right=4)
    record_start = len(document.paragraphs)
    _record_block(document, notice)
    _record_on_even_page(document, record_start, push)
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()
