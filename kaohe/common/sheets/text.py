"""Cleaning the text people type into Word and Excel tables.

Offices break words across lines inside a cell ("能力测\n试"), number their first-level
labels ("一、听取汇报"), list several units in one cell and write dates three ways.
"""

import re
from datetime import date, datetime

WHITESPACE = re.compile(r"[ \t\u3000\xa0]+")
NUMBERING = re.compile(
    r"^\s*(?:[（(][一二三四五六七八九十\d]+[）)]|[一二三四五六七八九十]+[、.．]|\d+[、.．](?!\d)"
    r"|第[一二三四五六七八九十\d]+[项部分]?[、.．：:])\s*"
)
UNIT_SEPARATORS = re.compile(r"[\n、，,；;／/]+")
DATE_PATTERNS = [
    re.compile(r"(\d{4})\s*[年.．\-/]\s*(\d{1,2})\s*[月.．\-/]\s*(\d{1,2})\s*日?"),
]


def cell_text(value) -> str:
    """A cell value as text: None → "", numbers without a trailing .0, strings stripped."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    text = str(value).replace("\r\n", "\n").replace("\r", "\n")
    lines = [WHITESPACE.sub(" ", line).strip() for line in text.split("\n")]
    return "\n".join(line for line in lines if line)


def join_lines(text: str) -> str:
    """Undo line breaks inside a word: Chinese lines join directly, Latin ones with a space."""
    parts = [p for p in text.split("\n") if p]
    if not parts:
        return ""
    out = parts[0]
    for part in parts[1:]:
        if out[-1].isascii() and part[0].isascii() and out[-1].isalnum() and part[0].isalnum():
            out += " " + part
        else:
            out += part
    return out


def header_key(text: str) -> str:
    """A header cell reduced for matching: no spaces, line breaks or brackets' content."""
    text = re.sub(r"[（(][^）)]*[）)]", "", str(text or ""))
    return re.sub(r"[\s\u3000:：*＊]", "", text)


def strip_numbering(text: str) -> str:
    """'一、听取汇报' → '听取汇报'; '（二）测试' → '测试'."""
    stripped = NUMBERING.sub("", text, count=1).strip()
    return stripped or text.strip()


def split_names(text: str) -> list[str]:
    """Several names in one cell, separated by line breaks, 、 or commas (not inside brackets:
    各县（市、区）人民政府 is one name)."""
    depth, chars = 0, []
    for ch in text or "":
        depth += ch in "（(" and 1 or (ch in "）)" and -1 or 0)
        depth = max(depth, 0)
        chars.append("\x00" if depth and UNIT_SEPARATORS.fullmatch(ch) else ch)
    seen = []
    for part in UNIT_SEPARATORS.split("".join(chars)):
        part = part.replace("\x00", "、")
        part = WHITESPACE.sub("", part).strip()
        if part and part not in seen:
            seen.append(part)
    return seen


def parse_date(value) -> date | None:
    """'2020.12.28', '2020年12月28日', '2020-12-28', an Excel date → date; None if unreadable."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = cell_text(value)
    for pattern in DATE_PATTERNS:
        match = pattern.search(text)
        if match:
            try:
                return date(int(match[1]), int(match[2]), int(match[3]))
            except ValueError:
                return None
    return None
