"""Finding a table's header row by its column names (with synonyms), not by position."""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from .grid import Table
from .text import cell_text, header_key

SCAN_ROWS = 25


@dataclass
class Header:
    """Where the header is and which column holds which field."""

    first_row: int
    last_row: int
    columns: dict[str, int]
    titles: dict[str, str]

    def title(self, field_name: str) -> str:
        return self.titles.get(field_name, field_name)


_LOOKUPS: dict[int, dict[str, str]] = {}


def _lookup(synonyms: dict) -> dict[str, str]:
    found = _LOOKUPS.get(id(synonyms))
    if found is None:
        found = {header_key(s): key for key, names in synonyms.items() for s in names}
        _LOOKUPS[id(synonyms)] = found
    return found


def _recognise(values, synonyms) -> dict[str, tuple[int, str]]:
    lookup = _lookup(synonyms)
    found: dict[str, tuple[int, str]] = {}
    for col, value in enumerate(values):
        if not isinstance(value, str) or len(value) > 24:
            continue  # header cells are short text; skip the cost for data cells
        key = lookup.get(header_key(value))
        if key and key not in found:
            found[key] = (col, cell_text(value).replace("\n", ""))
    return found


def find_header(table: Table, synonyms: dict, *, needed: int = 2) -> Header | None:
    """The first row naming at least `needed` known columns; a second header row below it
    (e.g. 一级指标 | 二级指标 under a merged 考核指标) is folded in."""
    rows = table.rows[:SCAN_ROWS]
    for index, (number, values) in enumerate(rows):
        found = _recognise(values, synonyms)
        if len(found) < needed:
            continue
        last = number
        if index + 1 < len(rows):
            below_number, below = rows[index + 1]
            extra = _recognise(below, synonyms)
            new = {k: v for k, v in extra.items() if k not in found}
            if new:
                found.update(new)
                last = below_number
        return Header(
            first_row=number,
            last_row=last,
            columns={k: col for k, (col, _) in found.items()},
            titles={k: title for k, (_, title) in found.items()},
        )
    return None


def is_header_again(values, header: Header, synonyms: dict) -> bool:
    """A header (or its second row alone) repeated inside the data, as after a page break."""
    found = len(_recognise(values, synonyms))
    if found >= max(2, len(header.columns) // 2):
        return True
    filled = sum(1 for v in values if v not in (None, ""))
    return found >= 2 and found == filled


def crossing_merges(table: Table, header: Header) -> list[str]:
    """Merged cells that start in the header and run into the data rows."""
    problems = []
    for r1, c1, r2, c2 in table.merges:
        if r1 <= header.last_row < r2:
            problems.append(f"{table.column_name(c1)}{r1}:{table.column_name(c2)}{r2}")
    seen = set()
    for (row, col), first in table.merged_from.items():
        if first <= header.last_row < row and not table.is_sheet and col not in seen:
            seen.add(col)
            problems.append(
                _("第 %(value)s 列第 %(first)s–%(row)s 行")
                % {"value": col + 1, "first": first, "row": row}
            )
    return problems
