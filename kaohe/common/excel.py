"""Excel output shared by every list page: one call turns rows into a download."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from io import BytesIO
from urllib.parse import quote

from django.http import HttpResponse
from django.utils.functional import Promise
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_PREFIXES = ("=", "+", "-", "@")


@dataclass
class Sheet:
    title: str
    headers: Sequence[str]
    rows: Iterable[Sequence]
    widths: Sequence[int] | None = None


def safe_cell(value):
    """Text that Excel would run as a formula (CSV/formula injection) is prefixed with '."""
    if isinstance(value, Promise):  # a translated label
        value = str(value)
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def build_workbook(sheets: Sequence[Sheet]) -> Workbook:
    """Chinese headers in bold, frozen header row, sensible widths, landscape A4 printing."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for sheet in sheets:
        ws = workbook.create_sheet(title=sheet.title[:31])
        ws.append([safe_cell(h) for h in sheet.headers])
        for cell in ws[1]:
            cell.font = Font(bold=True)
            cell.fill = PatternFill("solid", fgColor="F2F2F2")
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        lengths = [len(str(h)) * 2 for h in sheet.headers]
        for row in sheet.rows:
            row = [safe_cell(v) for v in row]
            ws.append(row)
            for cell, value in zip(ws[ws.max_row], row, strict=False):
                if isinstance(value, Decimal):
                    cell.number_format = "0.00"  # scores show 95.00, not 95
            for index, value in enumerate(row[: len(lengths)]):
                text = "" if value is None else str(value)
                lengths[index] = max(lengths[index], min(60, len(text.encode("gbk", "replace"))))
        for index, length in enumerate(lengths, start=1):
            width = sheet.widths[index - 1] if sheet.widths else max(8, length + 2)
            ws.column_dimensions[get_column_letter(index)].width = width
        ws.freeze_panes = "A2"
        ws.print_title_rows = "1:1"
        ws.page_setup.orientation = "landscape"
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
    return workbook


def attachment(content: bytes, filename: str, content_type: str) -> HttpResponse:
    """A download with a Chinese file name that every browser keeps (RFC 5987)."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


def workbook_bytes(sheets: Sequence[Sheet]) -> bytes:
    buffer = BytesIO()
    build_workbook(sheets).save(buffer)
    return buffer.getvalue()


def xlsx_response(filename: str, sheets: Sequence[Sheet]) -> HttpResponse:
    if not filename.endswith(".xlsx"):
        filename += ".xlsx"
    return attachment(workbook_bytes(sheets), filename, XLSX_TYPE)
