"""Importing leaf scores from .xlsx (results of daily assessment kept in other systems).

Rows: 考核对象, 指标编码 (or 考核类别 when that category has a single leaf), 得分, 说明.
Every value goes through scores_save (range, status lock, versions, audit) with
source="import"; the whole file is one transaction.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kaohe.audit.services import audit_record
from kaohe.common.decimals import parse_decimal
from kaohe.common.sheets import grid
from kaohe.common.sheets.headers import find_header, is_header_again
from kaohe.common.sheets.problems import ImportFailed, Problems
from kaohe.common.sheets.text import cell_text, header_key
from kaohe.common.uploads import CheckedFile
from kaohe.schemes.choices import ScoreSource
from kaohe.schemes.models import Indicator, ScoreEntry
from kaohe.scoring import engine
from kaohe.scoring.services import ScoreChange, check_scores_editable, scores_save
from kaohe.transfer import audit_actions

from .matching import IGNORED, UnitResolver, component_lookup

MAX_ROWS = 200000
SCORE_COLUMNS = {
    "subject": ("考核对象", "被考核单位", "单位", "单位名称", "考核单位"),
    "code": ("指标编码", "编码", "指标代码"),
    "indicator": ("指标名称", "指标"),
    "component": ("考核类别", "所属考核类别"),
    "value": ("得分", "分数", "成绩", "分值"),
    "note": ("说明", "备注", "扣分说明", "得分说明"),
}


@dataclass
class ScorePlan:
    changes: dict = field(default_factory=dict)  # subject → [ScoreChange]
    rows: int = 0
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    blank: int = 0  # rows whose 得分 is empty: no change

    def summary(self) -> dict:
        return {
            "rows": self.rows,
            "valued": self.rows - self.blank,
            "blank": self.blank,
            "subjects": len(self.changes),
            "new": self.new,
            "changed": self.changed,
            "unchanged": self.unchanged,
        }


def _leaf(indicator: Indicator) -> engine.Leaf:
    return engine.Leaf(
        id=indicator.pk,
        component="",
        method=indicator.method,
        max_score=indicator.max_score or engine.ZERO,
        veto_grade=indicator.veto_grade,
        code=indicator.code,
    )


def read_scores(upload: CheckedFile, scheme, progress: Callable | None = None) -> ScorePlan:
    """Check every row against the scheme; ImportFailed lists every problem."""
    tables = grid.read_xlsx(upload, max_rows=MAX_ROWS, merged=False)
    table, header = _find_table(tables, upload)
    problems = Problems()
    try:  # what would stop the apply is said in the preview, not after it
        check_scores_editable(scheme)
    except ValidationError as exc:
        for message in exc.messages:
            problems.note(table.label, message)
    reader = _ScoresReader(scheme, table, header, problems)
    reader.read_rows(progress)
    plan = reader.plan
    if not plan.rows:
        problems.note(table.label, _("表中没有任何得分行。"))
    elif plan.rows == plan.blank:
        problems.note(
            table.label, _("%(rows)s 行的得分都是空的，没有要导入的得分。") % {"rows": plan.rows}
        )
    problems.raise_if_any()
    return plan


def _find_table(tables, upload: CheckedFile) -> tuple:
    """Pick the first sheet whose header has 考核对象 and 得分, or say no sheet fits."""
    table = header = None
    for candidate in tables:
        found = find_header(candidate, SCORE_COLUMNS, needed=2)
        if found and "subject" in found.columns and "value" in found.columns:
            table, header = candidate, found
            break
    if header is None or not ({"code", "component"} & header.columns.keys()):
        raise ImportFailed(
            [
                _(
                    "文件“%(name)s”：没有找到得分表的表头（应包含 考核对象、指标编码、得分、说明 列）。"
                )
                % {"name": upload.name}
            ]
        )
    return table, header


class _ScoresReader:
    """The scheme's lookups (loaded once), the plan and the problems shared by every row."""

    def __init__(self, scheme, table, header, problems: Problems):
        self.table = table
        self.header = header
        self.problems = problems
        self.plan = ScorePlan()
        self.seen: dict[tuple[int, int], int] = {}
        indicators = list(
            Indicator.objects.filter(scheme=scheme).prefetch_related("children", "applies_to")
        )
        self.by_code = {i.code: i for i in indicators}
        self.leaves_by_component: dict[int, list] = {}
        for ind in indicators:
            if not ind.children.all():
                self.leaves_by_component.setdefault(ind.component_id, []).append(ind)
        self.components = component_lookup(scheme)
        self.resolver = UnitResolver(scheme.owner_unit)
        self.subjects = {s.unit_id: s for s in scheme.subjects.select_related("unit", "scheme")}
        self.by_subject_name: dict[str, list] = {}
        for subject in self.subjects.values():
            for text in {subject.unit.name, subject.unit.short_name} - {""}:
                self.by_subject_name.setdefault(header_key(text), []).append(subject)
        self.existing = {
            (subject_id, indicator_id): (value, note)
            for subject_id, indicator_id, value, note in ScoreEntry.objects.filter(
                subject__scheme=scheme
            ).values_list("subject_id", "indicator_id", "value", "note")
        }

    def get(self, values, key):
        """The cell of a column, None when the column is absent or past the row's end."""
        index = self.header.columns.get(key)
        return values[index] if index is not None and index < len(values) else None

    def read_rows(self, progress: Callable | None) -> None:
        """Walk the data rows (skipping repeated headers), reporting progress every 5000."""
        for number, values in grid.iter_nonblank(self.table, self.header.last_row + 1):
            if is_header_again(values, self.header, SCORE_COLUMNS):
                continue
            self.plan.rows += 1
            if progress and self.plan.rows % 5000 == 0:
                progress(self.plan.rows, len(self.table.rows))
            self._row(number, values)

    def _row(self, number, values) -> None:
        """Check one row; plan its change when subject, indicator and value are all usable."""
        where = (self.table.label, number)
        raw_value = self.get(values, "value")
        if not cell_text(raw_value) and not grid.is_uncomputed_formula(raw_value):
            self.plan.blank += 1  # 得分 left empty: this row changes nothing
            return
        subject = self._subject_of(where, values)
        code = cell_text(self.get(values, "code")).replace("\n", "")
        if code:
            indicator = self._indicator_by_code(where, code)
        else:
            indicator = self._indicator_by_component(where, values, subject)
        value = self._value_of(where, raw_value)
        note = cell_text(self.get(values, "note"))
        if subject is None or indicator is None or value is None:
            return
        self._plan_change(where, subject, indicator, value, note)

    def _subject_of(self, where, values):
        """The row's 考核对象, or None with the problem noted."""
        titles = self.header.title
        unit_name = cell_text(self.get(values, "subject")).replace("\n", "")
        subject = (
            _subject(unit_name, self.resolver, self.subjects, self.by_subject_name)
            if unit_name
            else None
        )
        if not unit_name:
            self.problems.add(*where, titles("subject"), _("缺少考核对象。"))
        elif subject is None:
            self.problems.add(
                *where,
                titles("subject"),
                _("“%(unit_name)s”不是本方案的考核对象（可在单位别名中把它对应到单位）。")
                % {"unit_name": unit_name},
            )
        return subject

    def _indicator_by_code(self, where, code: str):
        """The leaf indicator named by 指标编码, or None with the problem noted."""
        titles = self.header.title
        indicator = self.by_code.get(code)
        if indicator is None:
            self.problems.add(
                *where, titles("code"), _("指标编码“%(code)s”在本方案中不存在。") % {"code": code}
            )
        elif indicator.children.all():
            self.problems.add(
                *where,
                titles("code"),
                _("“%(code)s %(name)s”不是末级指标，得分须填在末级指标上。")
                % {"code": code, "name": indicator.name},
            )
            indicator = None
        return indicator

    def _indicator_by_component(self, where, values, subject):
        """The single applicable leaf of the row's 考核类别, or None with the problem noted."""
        titles = self.header.title
        raw = cell_text(self.get(values, "component"))
        component = self.components.get(raw.replace(" ", "")) if raw else None
        leaves = self.leaves_by_component.get(component.pk, []) if component else []
        if subject is not None:
            leaves = [i for i in leaves if _applies(i, subject)]
        if not raw:
            self.problems.add(
                *where,
                titles("code") if "code" in self.header.columns else titles("component"),
                _("缺少指标编码。"),
            )
        elif component is None:
            self.problems.add(
                *where, titles("component"), _("“%(raw)s”不是本方案的考核类别。") % {"raw": raw}
            )
        elif len(leaves) != 1:
            self.problems.add(
                *where,
                titles("component"),
                _("考核类别“%(raw)s”下有 %(count)s 个适用的末级指标，请改填指标编码。")
                % {"raw": raw, "count": len(leaves)},
            )
        else:
            return leaves[0]
        return None

    def _value_of(self, where, raw_value):
        """The row's 得分 as a Decimal, or None with the problem noted."""
        value = None if grid.is_uncomputed_formula(raw_value) else parse_decimal(raw_value)
        if value is None:
            shown = cell_text(raw_value)
            self.problems.add(
                *where,
                self.header.title("value"),
                _("“%(shown)s”不是数字。") % {"shown": shown}
                if shown
                else _("缺少得分（是公式且无计算结果，或为空）。"),
            )
        return value

    def _plan_change(self, where, subject, indicator, value, note) -> None:
        """Check applicability, range and duplicates, then count and plan the change."""
        titles = self.header.title
        if not _applies(indicator, subject):
            self.problems.add(
                *where,
                titles("code"),
                _("指标“%(code)s”不适用于“%(unit)s”所属类别。")
                % {"code": indicator.code, "unit": subject.unit},
            )
            return
        try:
            engine.check_value(_leaf(indicator), value)
        except engine.ScoreValueError as exc:
            self.problems.add(
                *where,
                titles("value"),
                _("%(code)s %(name)s：%(exc)s")
                % {"code": indicator.code, "name": indicator.name, "exc": exc},
            )
            return
        key = (subject.pk, indicator.pk)
        if key in self.seen:
            self.problems.add(
                *where,
                None,
                _("“%(unit)s”的指标“%(code)s”重复（第 %(value)s 行已填写）。")
                % {"unit": subject.unit, "code": indicator.code, "value": self.seen[key]},
            )
            return
        self.seen[key] = where[1]
        old = self.existing.get(key)
        if old is None:
            self.plan.new += 1
        elif old == (value, note):
            self.plan.unchanged += 1
        else:
            self.plan.changed += 1
        self.plan.changes.setdefault(subject, []).append(ScoreChange(indicator, value, note))


def _subject(name: str, resolver: UnitResolver, subjects: dict, by_subject_name: dict):
    """An alias first; then a subject's own name or short name (if only one subject has it)."""
    key = header_key(name)
    if key in resolver.aliases:
        unit = resolver.aliases[key]
        return subjects.get(unit.pk) if unit is not IGNORED else None
    found = by_subject_name.get(key, [])
    if len(found) == 1:
        return found[0]
    unit = resolver.resolve(name)
    return subjects.get(unit.pk) if unit not in (None, IGNORED) else None


def _applies(indicator: Indicator, subject) -> bool:
    categories = indicator.applies_to.all()
    return not categories or any(c.pk == subject.unit_category_id for c in categories)


@transaction.atomic
def scores_write(
    *, scheme, plan: ScorePlan, actor=None, filename: str = "", progress: Callable | None = None
) -> dict:
    """Save every planned score through scores_save; any refusal rolls everything back."""
    try:
        check_scores_editable(scheme)
        total, done = plan.rows, 0
        for subject, changes in plan.changes.items():
            scores_save(
                subject=subject, changes=changes, actor=actor, source=ScoreSource.IMPORT, batch=True
            )
            done += len(changes)
            if progress:
                progress(done, total)
    except ValidationError as exc:
        raise ImportFailed(list(exc.messages)) from exc
    audit_record(
        action=audit_actions.TRANSFER_SCORES_IMPORT,
        actor=actor,
        obj=scheme,
        scheme_id=scheme.pk,
        after={"file": filename, **plan.summary()},
        message=f"从文件导入得分 {plan.rows} 条",
    )
    return plan.summary()
