"""Constants and WordprocessingML helpers of the notice: fonts in every slot, grid snapping,
exact line pitch, indents in characters, paragraph borders (kept in schema order)."""

from docx.enum.text import WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor

FANGSONG = "仿宋_GB2312"
KAITI = "楷体_GB2312"
HEITI = "黑体"
XIAOBIAOSONG = "方正小标宋简体"
SONGTI = "宋体"
RED = "FF0000"
BODY_PT = 16  # 3号
TITLE_PT = 22  # 2号
PAGE_NUMBER_PT = 14  # 4号
LINES, CHARS = 22, 28
MARGINS_MM = {"top": 37, "bottom": 35, "left": 28, "right": 26}
EXACT_LINE = Pt(28.95)  # one grid line: 225 mm / 22

PBDR_SUCCESSORS = [
    "shd",
    "tabs",
    "suppressAutoHyphens",
    "kinsoku",
    "wordWrap",
    "overflowPunct",
    "topLinePunct",
    "autoSpaceDE",
    "autoSpaceDN",
    "bidi",
    "adjustRightInd",
    "snapToGrid",
    "spacing",
    "ind",
    "contextualSpacing",
    "mirrorIndents",
    "suppressOverlap",
    "jc",
    "textDirection",
    "textAlignment",
    "textboxTightWrap",
    "outlineLvl",
    "divId",
    "cnfStyle",
    "rPr",
    "sectPr",
    "pPrChange",
]
CONDENSE_TWIPS = -5
RPR_SPACING_SUCCESSORS = [
    "w",
    "kern",
    "position",
    "sz",
    "szCs",
    "highlight",
    "u",
    "effect",
    "bdr",
    "shd",
    "fitText",
    "vertAlign",
    "rtl",
    "cs",
    "em",
    "lang",
    "eastAsianLayout",
    "specVanish",
    "oMath",
]
SNAP_SUCCESSORS = [
    "spacing",
    "ind",
    "contextualSpacing",
    "mirrorIndents",
    "suppressOverlap",
    "jc",
    "textDirection",
    "textAlignment",
    "textboxTightWrap",
    "outlineLvl",
    "divId",
    "cnfStyle",
    "rPr",
    "sectPr",
    "pPrChange",
]


def set_fonts(run, font: str, size_pt: float, *, color: str | None = None, bold=False) -> None:
    """Set every font slot (ascii, hAnsi, eastAsia, cs) so Chinese text really uses `font`."""
    run.font.size = Pt(size_pt)
    run.font.bold = bold
    rpr = run._element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(slot), font)
    if color:
        run.font.color.rgb = RGBColor.from_string(color)
    if size_pt == BODY_PT:
        # 3号 (16 pt) is a hair wider than a grid cell (156 mm / 28 ≈ 15.8 pt). Word squeezes
        # it into the cell; LibreOffice would give each character two cells (14 a line).
        # Condensing by 0.25 pt lets both put exactly 28 characters on a line.
        spacing = OxmlElement("w:spacing")
        spacing.set(qn("w:val"), str(CONDENSE_TWIPS))
        _insert_before(rpr, spacing, RPR_SPACING_SUCCESSORS)


def _insert_before(parent, element, successor_names) -> None:
    """Insert `element` before the first child named in successor_names (schema order)."""
    successors = {qn(f"w:{name}") for name in successor_names}
    anchor = next((child for child in parent if child.tag in successors), None)
    if anchor is not None:
        anchor.addprevious(element)
    else:
        parent.append(element)


def no_grid_snap(paragraph) -> None:
    """Headings bigger than 3号 (mark, title) and the 4号 record/page numbers keep their own
    character widths instead of taking whole grid cells (as in the usual GB templates)."""
    ppr = paragraph._p.get_or_add_pPr()
    if ppr.find(qn("w:snapToGrid")) is not None:
        return
    snap = OxmlElement("w:snapToGrid")
    snap.set(qn("w:val"), "0")
    _insert_before(ppr, snap, SNAP_SUCCESSORS)


def _exact(paragraph, line=EXACT_LINE) -> None:
    fmt = paragraph.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = line
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)


def _indent_chars(paragraph, *, first=0, left=0, right=0, size_pt=BODY_PT) -> None:
    """Indents in characters (w:*Chars, hundredths) with the twips value beside it."""
    ind = paragraph._p.get_or_add_pPr().get_or_add_ind()
    for attr, chars in (("firstLine", first), ("left", left), ("right", right)):
        if chars:
            ind.set(qn(f"w:{attr}Chars"), str(chars * 100))
            ind.set(qn(f"w:{attr}"), str(int(chars * size_pt * 20)))


def _border(paragraph, edge: str, *, color="000000", size=8, space=0) -> None:
    ppr = paragraph._p.get_or_add_pPr()
    borders = ppr.find(qn("w:pBdr"))
    if borders is None:
        borders = OxmlElement("w:pBdr")
        # Schema order: pBdr comes before shd, tabs, …, spacing, ind, jc.
        successors = {qn(f"w:{t}") for t in PBDR_SUCCESSORS}
        anchor = next((child for child in ppr if child.tag in successors), None)
        if anchor is not None:
            anchor.addprevious(borders)
        else:
            ppr.append(borders)
    line = OxmlElement(f"w:{edge}")
    line.set(qn("w:val"), "single")
    line.set(qn("w:sz"), str(size))
    line.set(qn("w:space"), str(space))
    line.set(qn("w:color"), color)
    borders.append(line)
