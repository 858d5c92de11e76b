"""Reading tables out of .xlsx sheets and .docx tables into plain rows of values.

Merged cells are filled with their top-left value and remembered, so that the parsers can
tell "merged downwards" (same value, continued) from "typed again". Formulas are replaced by
the value Excel last computed; a formula without one is a problem for the user to fix.
"""

import io
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from kaohe.common.uploads import CheckedFile

from .problems import ImportFailed


@dataclass
class Table:
    """One sheet or one Word table: numbered rows of cell values."""

    label: str
    rows: list[tuple[int, list]] = field(default_factory=list)
    # (row number, column index) → row number of the merged range's first row
    merged_from: dict[tuple[int, int], int] = field(default_factory=dict)
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)  # r1, c1, r2, c2
    sheet: bool = False  # set by read_xlsx; labels are translated, so not told by their text

    def column_name(self, index: int) -> str:
        return get_column_letter(index + 1) if self.is_sheet else str(index + 1)

    @property
    def is_sheet(self) -> bool:
        """An Excel sheet (columns are letters), not a Word table (columns are numbers)."""
        return self.sheet or self.label.startswith("工作表")


def _too_many_rows(label: str, rows: int, limit: int):
    raise ImportFailed(
        [
            _(
                "%(label)s：共 %(rows)s 行，超过一次导入的上限 %(limit)s 行。请拆分为多个文件分批导入。"
            )
            % {"label": label, "rows": rows, "limit": limit}
        ]
    )


def _formula_fix(upload: CheckedFile, formulas: dict[str, set[tuple[int, int]]]) -> dict:
    """Cached values of the formula cells, read from a data_only copy of the workbook."""
    workbook = load_workbook(io.BytesIO(upload.data), read_only=True, data_only=True)
    values = {}
    try:
        for title, cells in formulas.items():
            ws = workbook[title]
            for row_number, row in enumerate(ws.iter_rows(values_only=True), start=1):
                for col, value in enumerate(row):
                    if (row_number, col) in cells:
                        values[(title, row_number, col)] = value
    finally:
        workbook.close()
    return values


def _open_workbook(upload: CheckedFile, *, read_only: bool, damaged_hint: bool = False):
    try:
        return load_workbook(io.BytesIO(upload.data), read_only=read_only)
    except Exception as exc:  # openpyxl raises many kinds for broken files
        if damaged_hint:
            message = _("文件“%(name)s”无法作为 Excel 工作簿读取（%(error)s），文件可能已损坏。")
        else:
            message = _("文件“%(name)s”无法作为 Excel 工作簿读取（%(error)s）。")
        raise ImportFailed([message % {"name": upload.name, "error": type(exc).__name__}]) from exc


def _check_sizes(upload: CheckedFile, max_rows: int) -> None:
    """Refuse a workbook whose declared size is too big before reading any cell."""
    probe = _open_workbook(upload, read_only=True, damaged_hint=True)
    try:
        for ws in probe.worksheets:
            if ws.max_row and ws.max_row > max_rows + 20:
                _too_many_rows(_("工作表“%(title)s”") % {"title": ws.title}, ws.max_row, max_rows)
    finally:
        probe.close()


def _read_sheet(ws, max_rows: int, formulas: dict) -> Table:
    """The sheet's rows as lists; formula cells are noted for `_restore_formula_values`."""
    table = Table(label=_("工作表“%(title)s”") % {"title": ws.title}, sheet=True)
    for row_number, row in enumerate(ws.iter_rows(values_only=True), start=1):
        if row_number > max_rows + 20:
            _too_many_rows(table.label, row_number, max_rows)
        values = list(row)
        for col, value in enumerate(values):
            if isinstance(value, str) and value.startswith("="):
                formulas.setdefault(ws.title, set()).add((row_number, col))
        table.rows.append((row_number, values))
    return table


def _restore_formula_values(upload: CheckedFile, tables: list[Table], formulas: dict) -> None:
    """Replace formula text by the value Excel cached (or a marker when none was computed)."""
    cached = _formula_fix(upload, formulas)
    for table in tables:
        title = table.label[4:-1]
        for row_number, values in table.rows:
            for col in range(len(values)):
                key = (title, row_number, col)
                if key in cached:
                    values[col] = _FormulaWithoutValue() if cached[key] is None else cached[key]


def read_xlsx(upload: CheckedFile, *, max_rows: int, merged: bool = True) -> list[Table]:
    """Every sheet of a workbook; `merged=False` uses the fast read-only mode (no merges)."""
    _check_sizes(upload, max_rows)
    workbook = _open_workbook(upload, read_only=not merged)
    tables, formulas = [], {}
    try:
        for ws in workbook.worksheets:
            if getattr(ws, "sheet_state", "visible") != "visible":
                continue
            table = _read_sheet(ws, max_rows, formulas)
            if merged:
                _apply_merges(table, ws)
            tables.append(table)
    finally:
        if not merged:
            workbook.close()
    if formulas:
        _restore_formula_values(upload, tables, formulas)
    return tables


class _FormulaWithoutValue:
    """A formula cell whose result was never computed (file written by a program)."""

    def __str__(self):
        return ""


def is_uncomputed_formula(value) -> bool:
    return isinstance(value, _FormulaWithoutValue)


def _apply_merges(table: Table, ws) -> None:
    by_number = dict(table.rows)
    for rng in ws.merged_cells.ranges:
        r1, c1, r2, c2 = rng.min_row, rng.min_col - 1, rng.max_row, rng.max_col - 1
        table.merges.append((r1, c1, r2, c2))
        top = by_number.get(r1)
        value = top[c1] if top is not None and c1 < len(top) else None
        for r in range(r1, r2 + 1):
            row = by_number.get(r)
            if row is None:
                continue
            for c in range(c1, c2 + 1):
                if (r, c) == (r1, c1):
                    continue
                while len(row) <= c:
                    row.append(None)
                row[c] = value
                table.merged_from[(r, c)] = r1


def read_docx(upload: CheckedFile) -> list[Table]:
    """Every top-level table of a Word document, vertical and horizontal merges filled."""
    import docx

    try:
        document = docx.Document(io.BytesIO(upload.data))
    except Exception as exc:
        raise ImportFailed(
            [
                _("文件“%(name)s”无法作为 Word 文档读取（%(error)s），文件可能已损坏。")
                % {"name": upload.name, "error": type(exc).__name__}
            ]
        ) from exc
    return [_docx_table(index, table) for index, table in enumerate(document.tables, start=1)]


def _docx_table(index: int, table) -> Table:
    from docx.table import _Cell

    result = Table(label=_("表格 %(index)s") % {"index": index})
    above: dict[int, tuple[str, int]] = {}  # column → (text, first row of its vertical merge)
    for row_number, tr in enumerate(table._tbl.tr_lst, start=1):
        values: list = [None] * getattr(tr, "grid_before", 0)
        for tc in tr.tc_lst:
            col = len(values)
            if tc.vMerge == "continue" and col in above:
                text, first = above[col]
                for offset in range(tc.grid_span):
                    values.append(text)
                    result.merged_from[(row_number, col + offset)] = first
                continue
            text = _Cell(tc, table).text
            for offset in range(tc.grid_span):
                values.append(text)
                above[col + offset] = (text, row_number)
                if offset:
                    result.merged_from[(row_number, col + offset)] = row_number
        result.rows.append((row_number, values))
    return result


def iter_nonblank(table: Table, start: int) -> Iterator[tuple[int, list]]:
    for number, values in table.rows:
        if number >= start and any(v not in (None, "") for v in values):
            yield number, values
