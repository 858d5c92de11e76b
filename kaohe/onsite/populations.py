"""Turning a unit's staff, a typed list, pasted text or an .xlsx file into draw members.

Members are {key, label, stratum, group}. Text and sheets: one row per member; columns
编号 (key), 名称 (label), 类别 (stratum), 分组/部门 (group), named by a header row or, for
typed text, in the order the draw preset gives (headers may also use the columns' names in the
page's language). Without 编号 the name is the key. Bad rows
are refused with the row and column named; nothing is half-read.
"""

from __future__ import annotations

import re
from io import BytesIO

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kaohe.orgs.choices import PersonLevel
from kaohe.orgs.models import Person

SPLIT = re.compile(r"\t|,|，")
HEADERS = {
    "编号": "key",
    "序号": "key",
    "案号": "key",
    "名称": "label",
    "姓名": "label",
    "案卷名称": "label",
    "类别": "stratum",
    "层级": "stratum",
    "分组": "group",
    "部门": "group",
}
# The columns' names in the page's language (lower case) are accepted as headers too.
COLUMN_LABELS = {
    "编号": gettext_lazy("编号"),
    "名称": gettext_lazy("名称"),
    "类别": gettext_lazy("类别"),
    "分组": gettext_lazy("分组"),
}
MAX_ROWS = 5000


def column_names(columns) -> list[str]:
    """The columns as the page names them."""
    return [str(COLUMN_LABELS.get(c, c)) for c in columns]


def _headers() -> dict[str, str]:
    return {**HEADERS, **{str(label).lower(): HEADERS[c] for c, label in COLUMN_LABELS.items()}}


def from_people(unit) -> list[dict]:
    """Active staff of the unit; the key is the Person id so the list is reproducible."""
    members = []
    for person in Person.objects.filter(unit=unit, is_active=True).order_by("pk"):
        post = person.post or PersonLevel(person.level).label
        members.append(
            {
                "key": f"P{person.pk:06d}",
                "label": f"{person.name}（{post}）",
                "stratum": person.level,
                "group": "",
            }
        )
    if not members:
        raise ValidationError(
            _("“%(unit)s”没有在职人员名册，请先导入人员或改用现场录入名单。") % {"unit": unit}
        )
    return members


DEFAULT_COLUMNS = ("编号", "名称", "类别", "分组")


def _rows_to_members(
    rows: list[list[str]], where: str, columns: tuple[str, ...] = DEFAULT_COLUMNS
) -> list[dict]:
    rows = [[c.strip() for c in row] for row in rows]
    rows = [row for row in rows if any(row)]
    if not rows:
        raise ValidationError(_("%(where)s没有内容。") % {"where": where})
    header = [cell.lower() for cell in rows[0]]
    names = [HEADERS[c] for c in columns]
    headers = _headers()
    if any(cell in headers for cell in header):
        names = [headers.get(cell) for cell in header]
        if "key" not in names and "label" not in names:
            raise ValidationError(
                _("%(where)s第 1 行表头须包含“编号”或“名称”列。") % {"where": where}
            )
        rows = rows[1:]
        start = 2
    else:
        start = 1
    if len(rows) > MAX_ROWS:
        raise ValidationError(
            _("%(where)s最多 %(MAX_ROWS)s 行。") % {"where": where, "MAX_ROWS": MAX_ROWS}
        )
    members, seen = [], {}
    for number, row in enumerate(rows, start=start):
        if len(row) > len(names) and any(row[len(names) :]):
            raise ValidationError(
                _("%(where)s第 %(number)s 行列数多于表头（%(count)s 列）。")
                % {"where": where, "number": number, "count": len(names)}
            )
        values = {name: row[i] for i, name in enumerate(names) if name and i < len(row)}
        key = values.get("key") or values.get("label") or ""
        if not key:
            raise ValidationError(
                _("%(where)s第 %(number)s 行第 1 列（编号）为空。")
                % {"where": where, "number": number}
            )
        if key in seen:
            raise ValidationError(
                _("%(where)s第 %(number)s 行编号“%(key)s”与第 %(value)s 行重复，编号必须唯一。")
                % {"where": where, "number": number, "key": key, "value": seen[key]}
            )
        seen[key] = number
        members.append(
            {
                "key": key,
                "label": values.get("label") or key,
                "stratum": values.get("stratum", ""),
                "group": values.get("group", ""),
            }
        )
    return members


def from_text(text: str, columns: tuple[str, ...] = DEFAULT_COLUMNS) -> list[dict]:
    """Pasted or typed lines, separated by tab or comma; `columns` when there is no header."""
    rows = [SPLIT.split(line) for line in (text or "").splitlines()]
    return _rows_to_members(rows, _("名单"), columns)


def from_xlsx(uploaded, name: str | None = None) -> list[dict]:
    """The first sheet of an .xlsx file; the first row may be a header (编号/名称/类别/分组)."""
    from openpyxl import load_workbook

    name = name or _("Excel 文件")

    try:
        workbook = load_workbook(BytesIO(uploaded.read()), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 — any unreadable file gets the same clear message
        raise ValidationError(_("%(name)s 不是有效的 .xlsx 文件。") % {"name": name}) from None
    sheet = workbook.worksheets[0]
    rows = []
    for row in sheet.iter_rows(values_only=True):
        rows.append(["" if v is None else str(v) for v in row])
        if len(rows) > MAX_ROWS + 1:
            break
    workbook.close()
    return _rows_to_members(
        rows, _("%(name)s（工作表“%(title)s”）") % {"name": name, "title": sheet.title}
    )
