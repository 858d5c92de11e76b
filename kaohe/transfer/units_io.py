"""Importing the unit tree and each unit's people from .xlsx.

Sheet 单位: 单位名称, 简称, 单位类别, 上级单位 (blank = the office's own unit).
Sheet 人员: 单位, 姓名, 职务, 层级 (主要负责人/班子成员/中层干部/一般干部/行政执法人员), 科级干部 (是/否).
Units already present under the same parent and people already listed are left as they are.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from kaohe.audit.services import audit_record
from kaohe.common.sheets import grid
from kaohe.common.sheets.headers import find_header, is_header_again
from kaohe.common.sheets.problems import ImportFailed, Problems
from kaohe.common.sheets.text import cell_text
from kaohe.common.uploads import CheckedFile
from kaohe.orgs.choices import PersonLevel
from kaohe.orgs.models import Person
from kaohe.orgs.services import person_create, unit_create
from kaohe.transfer import audit_actions

from .matching import IGNORED, UnitResolver, category_lookup

MAX_ROWS = 50000
UNIT_COLUMNS = {
    "name": ("单位名称", "名称"),
    "short_name": ("简称", "单位简称"),
    "category": ("单位类别", "类别"),
    "parent": ("上级单位", "上级", "所属单位"),
}
PERSON_COLUMNS = {
    "unit": ("单位", "所在单位", "单位名称"),
    "name": ("姓名",),
    "post": ("职务", "岗位"),
    "level": ("层级", "人员层级", "人员级别", "级别"),
    "section": ("科级干部", "是否科级干部", "是否科级"),
}
# Rosters name the levels in Chinese, whatever the page's language.
with translation.override("zh-hans"):
    LEVEL_NAMES = {str(c.label): c.value for c in PersonLevel}
LEVELS = {**LEVEL_NAMES, **{c.value: c.value for c in PersonLevel}}
YES = {"是", "Y", "y", "yes", "Yes", "YES", "√", "1", "TRUE", "True", "true"}
NO = {"否", "N", "n", "no", "No", "NO", "×", "0", "FALSE", "False", "false", ""}


@dataclass
class NewUnit:
    name: str
    short_name: str
    category: object
    parent: object  # an existing Unit or a NewUnit
    where: str


@dataclass
class UnitPlan:
    units: list[NewUnit] = field(default_factory=list)
    people: list[tuple] = field(
        default_factory=list
    )  # (unit or NewUnit, name, post, level, section)
    existing_units: int = 0
    existing_people: int = 0

    def summary(self) -> dict:
        return {
            "units": len(self.units),
            "people": len(self.people),
            "existing_units": self.existing_units,
            "existing_people": self.existing_people,
        }


# The downloadable template shows one sample row per sheet; it is never imported (older
# templates named the sample unit plain "示例局").
SAMPLE_ROW_MARK = "（示例行，导入时忽略）"
SAMPLE_UNIT = "示例局" + SAMPLE_ROW_MARK


def is_sample_row(unit_name: str) -> bool:
    name = unit_name.replace("\n", "").strip()
    return name.endswith(SAMPLE_ROW_MARK) or name == "示例局"


def read_units(upload: CheckedFile, owner) -> UnitPlan:
    """Check both sheets against the office's unit tree; ImportFailed lists every problem."""
    tables = grid.read_xlsx(upload, max_rows=MAX_ROWS, merged=False)
    reader = _UnitsReader(owner)
    unit_table, person_table = _find_tables(tables)
    if unit_table is None and person_table is None:
        raise ImportFailed(
            [
                _(
                    "文件“%(name)s”：没有找到“单位”表（单位名称、上级单位…）或“人员”表（单位、姓名、层级…）。"
                )
                % {"name": upload.name}
            ]
        )
    if unit_table:
        reader.read_unit_sheet(*unit_table)
    if person_table:
        reader.read_person_sheet(*person_table)
    reader.problems.raise_if_any()
    return reader.plan


def _find_tables(tables) -> tuple:
    """Pick the first sheet that looks like 单位 and the first that looks like 人员."""
    unit_table = person_table = None
    for table in tables:
        header = find_header(table, UNIT_COLUMNS, needed=2)
        if (
            unit_table is None
            and header
            and "name" in header.columns
            and "parent" in header.columns
        ):
            unit_table = (table, header)
            continue
        header = find_header(table, PERSON_COLUMNS, needed=2)
        if person_table is None and header and {"unit", "name", "level"} <= header.columns.keys():
            person_table = (table, header)
    return unit_table, person_table


def _row_cells(values, header) -> dict[str, str]:
    """One data row as field → text, blank for columns past the row's end."""
    return {k: cell_text(values[c]) if c < len(values) else "" for k, c in header.columns.items()}


class _UnitsReader:
    """State shared by both sheets: the plan, the problems and units planned so far."""

    def __init__(self, owner):
        self.owner = owner
        self.problems = Problems()
        self.resolver = UnitResolver(owner)
        self.categories = category_lookup()
        self.plan = UnitPlan()
        self.new_by_name: dict[str, NewUnit] = {}

    def lookup(self, name):
        """An existing unit, else a unit planned earlier in the file, else None."""
        unit = self.resolver.resolve(name)
        return self.new_by_name.get(name) if unit in (None, IGNORED) else unit

    def read_unit_sheet(self, table, header) -> None:
        """Plan the new units of the 单位 sheet, row by row."""
        for number, values in grid.iter_nonblank(table, header.last_row + 1):
            if is_header_again(values, header, UNIT_COLUMNS):
                continue
            row = _row_cells(values, header)
            if not is_sample_row(row.get("name", "")):
                self._unit_row(table, header, number, row)

    def _unit_row(self, table, header, number, row) -> None:
        """Check one 单位 row and plan it unless it exists or is wrong."""
        name = row.get("name", "").replace("\n", "")
        if not name:
            self.problems.add(table.label, number, header.title("name"), _("缺少单位名称。"))
            return
        if len(name) > 128:
            self.problems.add(
                table.label, number, header.title("name"), _("单位名称过长（最多 128 字）。")
            )
            return
        parent_name = row.get("parent", "").replace("\n", "")
        parent = self.lookup(parent_name) if parent_name else self.owner
        if parent is None:
            self.problems.add(
                table.label,
                number,
                header.title("parent"),
                _("上级单位“%(parent_name)s”不存在（须是已有单位或本表前面行中的单位）。")
                % {"parent_name": parent_name},
            )
            return
        category = self._category(table, header, number, row)
        existing = self.resolver.resolve(name)
        if existing not in (None, IGNORED) and getattr(existing, "parent_id", None) == getattr(
            parent, "pk", -1
        ):
            self.plan.existing_units += 1
            return
        if name in self.new_by_name:
            self.problems.add(
                table.label,
                number,
                header.title("name"),
                _("单位“%(name)s”在本表中重复（%(where)s）。")
                % {"name": name, "where": self.new_by_name[name].where},
            )
            return
        new = NewUnit(
            name,
            row.get("short_name", "")[:64],
            category,
            parent,
            _("第 %(number)s 行") % {"number": number},
        )
        self.new_by_name[name] = new
        self.plan.units.append(new)

    def _category(self, table, header, number, row):
        """The row's unit category (None when blank); an unknown one is a problem."""
        if not row.get("category"):
            return None
        category = self.categories.get(row["category"].replace(" ", ""))
        if category is None:
            known = _("、").join(sorted({c.name for c in self.categories.values()}))
            self.problems.add(
                table.label,
                number,
                header.title("category"),
                _("“%(category)s”不是已有的单位类别（已有：%(known)s）。")
                % {"category": row["category"], "known": known},
            )
        return category

    def read_person_sheet(self, table, header) -> None:
        """Plan the people of the 人员 sheet who are not listed yet."""
        known_people = set(
            Person.objects.filter(unit__path__startswith=self.owner.path).values_list(
                "unit_id", "name", "post"
            )
        )
        for number, values in grid.iter_nonblank(table, header.last_row + 1):
            if is_header_again(values, header, PERSON_COLUMNS):
                continue
            row = _row_cells(values, header)
            if is_sample_row(row.get("unit", "")):
                continue
            checked = self._person_row(table, header, number, row)
            if checked is None:
                continue
            unit, name, level = checked
            post = row.get("post", "")[:64]
            if isinstance(unit, NewUnit) is False and (unit.pk, name, post) in known_people:
                self.plan.existing_people += 1
                continue
            self.plan.people.append((unit, name, post, level, row.get("section", "") in YES))

    def _person_row(self, table, header, number, row):
        """Report every problem of one 人员 row; (unit, name, level) when it is usable."""
        unit = self.lookup(row["unit"].replace("\n", "")) if row.get("unit") else None
        if unit is None:
            self.problems.add(
                table.label,
                number,
                header.title("unit"),
                _("单位“%(value)s”不存在。") % {"value": row.get("unit", "")}
                if row.get("unit")
                else _("缺少单位。"),
            )
        name = row.get("name", "")
        if not name or len(name) > 64:
            self.problems.add(
                table.label,
                number,
                header.title("name"),
                _("缺少姓名。") if not name else _("姓名过长（最多 64 字）。"),
            )
        level = LEVELS.get(row.get("level", "").replace(" ", ""))
        if level is None:
            allowed = "、".join(LEVEL_NAMES)  # the Chinese names the roster must use
            self.problems.add(
                table.label,
                number,
                header.title("level"),
                _("“%(value)s”不是人员层级，可选：%(allowed)s。")
                % {"value": row.get("level", ""), "allowed": allowed},
            )
        raw_section = row.get("section", "")
        if raw_section not in YES | NO:
            self.problems.add(
                table.label,
                number,
                header.title("section"),
                _("“%(raw_section)s”应填“是”或“否”。") % {"raw_section": raw_section},
            )
        if unit is None or level is None or not name or len(name) > 64:
            return None
        return unit, name, level


@transaction.atomic
def units_write(
    *, owner, plan: UnitPlan, actor=None, filename: str = "", progress: Callable | None = None
) -> dict:
    """Create the planned units (parents first) and people through the orgs services."""
    made: dict[int, object] = {}
    total = len(plan.units) + len(plan.people)
    done = 0
    try:
        for new in plan.units:
            parent = made[id(new.parent)] if isinstance(new.parent, NewUnit) else new.parent
            made[id(new)] = unit_create(
                name=new.name,
                parent=parent,
                category=new.category,
                short_name=new.short_name,
                actor=actor,
            )
            done += 1
            if progress and done % 50 == 0:
                progress(done, total)
        for unit, name, post, level, section in plan.people:
            unit = made[id(unit)] if isinstance(unit, NewUnit) else unit
            person_create(
                unit=unit, name=name, post=post, level=level, is_section_level=section, actor=actor
            )
            done += 1
            if progress and done % 200 == 0:
                progress(done, total)
    except ValidationError as exc:
        raise ImportFailed(list(exc.messages)) from exc
    audit_record(
        action=audit_actions.TRANSFER_UNITS_IMPORT,
        actor=actor,
        obj=owner,
        after={"file": filename, **plan.summary()},
        message="从文件导入单位和人员",
    )
    return plan.summary()
