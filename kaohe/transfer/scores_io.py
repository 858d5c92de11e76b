"""Importing leaf scores from .xlsx (results of daily assessment kept in other systems).

Rows: 考核对象, 指标编码 (or 考核类别 when that category has a single leaf), 得分, 说明.
Every value goes through scores_save (range, status lock, versions, audit) with
source="import"; the whole file is one transaction.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction

from kaohe.audit.services import audit_record
from kaohe.common.decimals import parse_decimal
from kaohe.common.uploads import CheckedFile
from kaohe.schemes.choices import ScoreSource
from kaohe.schemes.models import Indicator, ScoreEntry
from kaohe.scoring import engine
from kaohe.scoring.services import ScoreChange, check_scores_editable, scores_save

from . import grid
from .headers import find_header, is_header_again
from .matching import IGNORED, UnitResolver, component_lookup
from .problems import ImportFailed, Problems
from .text import cell_text, header_key

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
    table = header = None
    for candidate in tables:
        found = find_header(candidate, SCORE_COLUMNS, needed=2)
        if found and "subject" in found.columns and "value" in found.columns:
            table, header = candidate, found
            break
    if header is None or not ({"code", "component"} & header.columns.keys()):
        raise ImportFailed(
            [
                f"文件“{upload.name}”：没有找到得分表的表头（应包含 考核对象、指标编码、得分、说明 列）。"
            ]
        )
    problems = Problems()
    try:  # what would stop the apply is said in the preview, not after it
        check_scores_editable(scheme)
    except ValidationError as exc:
        for message in exc.messages:
            problems.note(table.label, message)
    indicators = list(
        Indicator.objects.filter(scheme=scheme).prefetch_related("children", "applies_to")
    )
    by_code = {i.code: i for i in indicators}
    leaves_by_component: dict[int, list] = {}
    for ind in indicators:
        if not ind.children.all():
            leaves_by_component.setdefault(ind.component_id, []).append(ind)
    components = component_lookup(scheme)
    resolver = UnitResolver(scheme.owner_unit)
    subjects = {s.unit_id: s for s in scheme.subjects.select_related("unit", "scheme")}
    by_subject_name: dict[str, list] = {}
    for subject in subjects.values():
        for text in {subject.unit.name, subject.unit.short_name} - {""}:
            by_subject_name.setdefault(header_key(text), []).append(subject)
    existing = {
        (subject_id, indicator_id): (value, note)
        for subject_id, indicator_id, value, note in ScoreEntry.objects.filter(
            subject__scheme=scheme
        ).values_list("subject_id", "indicator_id", "value", "note")
    }
    plan = ScorePlan()
    seen: dict[tuple[int, int], int] = {}
    col = header.columns
    titles = header.title

    def get(values, key):
        index = col.get(key)
        return values[index] if index is not None and index < len(values) else None

    for number, values in grid.iter_nonblank(table, header.last_row + 1):
        if is_header_again(values, header, SCORE_COLUMNS):
            continue
        plan.rows += 1
        if progress and plan.rows % 5000 == 0:
            progress(plan.rows, len(table.rows))
        where = (table.label, number)
        if not cell_text(get(values, "value")) and not grid.is_uncomputed_formula(
            get(values, "value")
        ):
            plan.blank += 1  # 得分 left empty: this row changes nothing
            continue
        unit_name = cell_text(get(values, "subject")).replace("\n", "")
        subject = _subject(unit_name, resolver, subjects, by_subject_name) if unit_name else None
        if not unit_name:
            problems.add(*where, titles("subject"), "缺少考核对象。")
        elif subject is None:
            problems.add(
                *where,
                titles("subject"),
                f"“{unit_name}”不是本方案的考核对象（可在单位别名中把它对应到单位）。",
            )
        code = cell_text(get(values, "code")).replace("\n", "")
        indicator = None
        if code:
            indicator = by_code.get(code)
            if indicator is None:
                problems.add(*where, titles("code"), f"指标编码“{code}”在本方案中不存在。")
            elif indicator.children.all():
                problems.add(
                    *where,
                    titles("code"),
                    f"“{code} {indicator.name}”不是末级指标，得分须填在末级指标上。",
                )
                indicator = None
        else:
            raw = cell_text(get(values, "component"))
            component = components.get(raw.replace(" ", "")) if raw else None
            leaves = leaves_by_component.get(component.pk, []) if component else []
            if subject is not None:
                leaves = [i for i in leaves if _applies(i, subject)]
            if not raw:
                problems.add(
                    *where,
                    titles("code") if "code" in col else titles("component"),
                    "缺少指标编码。",
                )
            elif component is None:
                problems.add(*where, titles("component"), f"“{raw}”不是本方案的考核类别。")
            elif len(leaves) != 1:
                problems.add(
                    *where,
                    titles("component"),
                    f"考核类别“{raw}”下有 {len(leaves)} 个适用的末级指标，请改填指标编码。",
                )
            else:
                indicator = leaves[0]
        raw_value = get(values, "value")
        value = None if grid.is_uncomputed_formula(raw_value) else parse_decimal(raw_value)
        if value is None:
            shown = cell_text(raw_value)
            problems.add(
                *where,
                titles("value"),
                f"“{shown}”不是数字。" if shown else "缺少得分（是公式且无计算结果，或为空）。",
            )
        note = cell_text(get(values, "note"))
        if subject is None or indicator is None or value is None:
            continue
        if not _applies(indicator, subject):
            problems.add(
                *where, titles("code"), f"指标“{indicator.code}”不适用于“{subject.unit}”所属类别。"
            )
            continue
        try:
            engine.check_value(_leaf(indicator), value)
        except engine.ScoreValueError as exc:
            problems.add(*where, titles("value"), f"{indicator.code} {indicator.name}：{exc}")
            continue
        key = (subject.pk, indicator.pk)
        if key in seen:
            problems.add(
                *where,
                None,
                f"“{subject.unit}”的指标“{indicator.code}”重复（第 {seen[key]} 行已填写）。",
            )
            continue
        seen[key] = number
        old = existing.get(key)
        if old is None:
            plan.new += 1
        elif old == (value, note):
            plan.unchanged += 1
        else:
            plan.changed += 1
        plan.changes.setdefault(subject, []).append(ScoreChange(indicator, value, note))
    if not plan.rows:
        problems.note(table.label, "表中没有任何得分行。")
    elif plan.rows == plan.blank:
        problems.note(table.label, f"{plan.rows} 行的得分都是空的，没有要导入的得分。")
    problems.raise_if_any()
    return plan


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
        action="transfer.scores_import",
        actor=actor,
        obj=scheme,
        scheme_id=scheme.pk,
        after={"file": filename, **plan.summary()},
        message=f"从文件导入得分 {plan.rows} 条",
    )
    return plan.summary()
