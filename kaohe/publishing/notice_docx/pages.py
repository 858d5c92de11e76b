"""Where the 版记 lands: the body's pages estimated on the 22 × 28 grid, and blank pages put
before the 版记 so that it sits on an even page (GB/T 9704). The PDF export checks the same
thing in LibreOffice's own layout (services.notice.notice_pdf)."""

import math

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph

from .xml import BODY_PT, CHARS, EXACT_LINE, _exact

TEXT_HEIGHT_PT = 225 / 25.4 * 72  # the 版心 height
TEXT_WIDTH_PT = 156 / 25.4 * 72


def _cells(text: str) -> float:
    """Width in character cells: full-width characters 1, ASCII half, plus the space the
    layout puts between Chinese and Latin/digits (2020 年)."""
    width, previous = 0.0, None
    for ch in text:
        narrow = ord(ch) < 0x2E80
        width += 0.5 if narrow else 1
        if previous is not None and narrow != previous and ch.strip():
            width += 0.25
        previous = narrow
    return width


def _paragraph_lines(paragraph) -> tuple[int, float]:
    """(lines, line height in pt) of a paragraph as the 3号 grid lays it out."""
    fmt = paragraph.paragraph_format
    height = fmt.line_spacing.pt if fmt.line_spacing is not None else EXACT_LINE.pt
    size = BODY_PT
    for run in paragraph.runs:
        if run.font.size is not None:
            size = run.font.size.pt
            break
    per_line = CHARS if size == BODY_PT else max(1, math.floor(TEXT_WIDTH_PT / size))
    ind = paragraph._p.pPr.ind if paragraph._p.pPr is not None else None
    indent = 0
    if ind is not None:
        for attr in ("firstLineChars", "rightChars", "leftChars"):
            value = ind.get(qn(f"w:{attr}"))
            indent += int(value) / 100 if value else 0
    width = _cells(paragraph.text) + indent
    return max(1, math.ceil(width / per_line)), height


def estimate_pages(paragraphs) -> tuple[int, float]:
    """(pages, height used on the last page in pt): lines fill pages one after another."""
    pages, used = 1, 0.0
    for paragraph in paragraphs:
        if any(br.get(qn("w:type")) == "page" for br in paragraph._p.iter(qn("w:br"))):
            pages, used = pages + 1, 0.0
        lines, height = _paragraph_lines(paragraph)
        for _ in range(lines):
            if used + height > TEXT_HEIGHT_PT + 0.5:
                pages, used = pages + 1, 0.0
            used += height
    return pages, used


def record_page(paragraphs, record_start: int) -> tuple[int, int]:
    """(page the 版记 would land on, pages the body takes), by the estimate above."""
    body, record = paragraphs[:record_start], paragraphs[record_start:]
    pages, used = estimate_pages(body)
    record_height = sum(h * n for n, h in (_paragraph_lines(p) for p in record))
    breaks = sum(1 for p in record if p.paragraph_format.page_break_before)
    if breaks:
        return pages + breaks, pages
    # One line to spare: the estimate may be a line short where punctuation wraps.
    fits = used + record_height + EXACT_LINE.pt <= TEXT_HEIGHT_PT
    return (pages if fits else pages + 1), pages


def _record_on_even_page(document, record_start: int, push: int | None = None) -> None:
    """GB/T 9704: the 版记 is on the last page, an even one. When it fits under the body on an
    even page it stays; otherwise paragraphs that start a new page put it at the foot of the next
    even page (the blank page GB/T 9704 asks for), never left to the layout engine's overflow."""
    paragraphs = document.paragraphs
    if push is None:
        page, body_pages = record_page(paragraphs, record_start)
        if page == body_pages and page % 2 == 0:
            return
        push = 1 if body_pages % 2 else 2
    if not push:
        return
    # "Page break before" (not a break character): when the body already filled its last page,
    # the paragraph starts the next page without adding one more.
    first = paragraphs[record_start]
    first.paragraph_format.page_break_before = True
    if push == 2:
        extra = OxmlElement("w:p")
        first._p.addnext(extra)
        second = Paragraph(extra, first._parent)  # a second empty paragraph, a page of its own
        _exact(second)
        second.paragraph_format.page_break_before = True
