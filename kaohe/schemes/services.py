"""Writes to schemes: creation and copying, the indicator tree, grading rules, enrolment.

Scores are written by kaohe.scoring.services (the one score service).

Every service is keyword-only, runs in a transaction and writes its own audit event.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from kaohe.audit.services import audit_record
from kaohe.common.services import model_update
from kaohe.scoring import engine

from .choices import SCORE_EDITABLE_STATUSES, ScoringMethod
from .models import (
    Component,
    GradeLevel,
    GradingCategory,
    Indicator,
    Scheme,
    ScoreEntry,
    Subject,
)

DEFAULT_COMPONENTS = [
    ("daily", "日常考核", Decimal("60")),
    ("onsite", "实地考核", Decimal("30")),
    ("satisfaction", "满意度调查", Decimal("10")),
]
DEFAULT_GRADES = [
    ("优秀", Decimal("90")),
    ("良好", Decimal("80")),
    ("合格", Decimal("60")),
    ("不合格", Decimal("0")),
]

RULE_FIELDS = {"bonus_cap", "penalty_cap", "tie_break"}


def _record_rule_change(*, action: str, obj, scheme_id: int, changes: dict, actor) -> None:
    """A rule changed: results must be recomputed, and the audit chain keeps before/after."""
    if not changes:
        return
    Scheme.mark_results_stale(scheme_id)
    audit_record(
        action=action,
        actor=actor,
        obj=obj,
        scheme_id=scheme_id,
        before={k: v[0] for k, v in changes.items()},
        after={k: v[1] for k, v in changes.items()},
    )


def check_rules_editable(scheme: Scheme) -> None:
    """Indicators, weights, grades and enrolment change only while the scheme is prepared or
    run; after the results are frozen they are the rules the published results rest on."""
    if scheme.status not in SCORE_EDITABLE_STATUSES:
        raise ValidationError(
            f"方案处于“{scheme.get_status_display()}”阶段，考核规则（指标、权重、等次、考核对象）"
            "已锁定。如需修改，须由考核办管理员说明理由重新开启。"
        )


def _check_tie_break(scheme: Scheme, tie_break: str) -> None:
    codes = [c.strip() for c in tie_break.split(",") if c.strip()]
    known = set(scheme.components.values_list("code", flat=True))
    unknown = [c for c in codes if c not in known]
    if unknown:
        raise ValidationError(
            {
                "tie_break": f"同分排序依据中的 {'、'.join(unknown)} 不是本方案的考核类别代码"
                f"（可用：{'、'.join(sorted(known))}）。"
            }
        )


SCHEME_FIELDS = [
    "name",
    "year",
    "issuing_office",
    "bonus_cap",
    "penalty_cap",
    "tie_break",
    "onsite_start",
    "onsite_end",
    "notice_start",
    "notice_end",
]


@transaction.atomic
def scheme_create(
    *,
    code: str,
    name: str,
    year: int,
    owner_unit,
    actor=None,
    issuing_office: str = "",
    with_defaults: bool = True,
    settings: dict | None = None,
) -> Scheme:
    """Create a scheme; with_defaults adds the three usual components and four grades."""
    scheme = Scheme(
        code=code, name=name, year=year, owner_unit=owner_unit, issuing_office=issuing_office
    )
    for field, value in (settings or {}).items():
        if field in SCHEME_FIELDS:
            setattr(scheme, field, value)
    scheme.full_clean()
    scheme.save()
    if with_defaults:
        for order, (ccode, cname, weight) in enumerate(DEFAULT_COMPONENTS):
            Component.objects.create(
                scheme=scheme, code=ccode, name=cname, weight=weight, order=order
            )
        for order, (gname, minimum) in enumerate(DEFAULT_GRADES):
            GradeLevel.objects.create(scheme=scheme, name=gname, min_total=minimum, order=order)
    audit_record(
        action="scheme.create",
        actor=actor,
        obj=scheme,
        scheme_id=scheme.pk,
        after={"code": code, "name": name, "year": year},
    )
    return scheme


@transaction.atomic
def scheme_update(*, scheme: Scheme, data: dict, actor=None) -> Scheme:
    if any(k in data and getattr(scheme, k) != data[k] for k in RULE_FIELDS):
        check_rules_editable(scheme)
    if "tie_break" in data:
        _check_tie_break(scheme, data["tie_break"])
    scheme, changes = model_update(instance=scheme, fields=SCHEME_FIELDS, data=data)
    _record_rule_change(
        action="scheme.update", obj=scheme, scheme_id=scheme.pk, changes=changes, actor=actor
    )
    return scheme


def _shift_year(value: date | None, years: int) -> date | None:
    if value is None:
        return None
    try:
        return value.replace(year=value.year + years)
    except ValueError:  # 29 February
        return value.replace(year=value.year + years, day=28)


@transaction.atomic
def scheme_copy(
    *, source: Scheme, code: str, name: str, year: int, actor=None, include_subjects: bool = True
) -> Scheme:
    """Start next year's scheme from last year's: components, grading, indicators, subjects."""
    years = year - source.year
    scheme = Scheme(
        code=code,
        name=name,
        year=year,
        owner_unit=source.owner_unit,
        issuing_office=source.issuing_office,
        previous=source,
        bonus_cap=source.bonus_cap,
        penalty_cap=source.penalty_cap,
        tie_break=source.tie_break,
    )
    scheme.full_clean()
    scheme.save()
    components = {}
    for c in source.components.all():
        components[c.pk] = Component.objects.create(
            scheme=scheme, code=c.code, name=c.name, weight=c.weight, order=c.order
        )
    categories = {}
    for gc in source.grading_categories.prefetch_related("unit_categories"):
        new = GradingCategory.objects.create(scheme=scheme, name=gc.name, order=gc.order)
        new.unit_categories.set(gc.unit_categories.all())
        categories[gc.pk] = new
    for level in source.grade_levels.all():
        GradeLevel.objects.create(
            scheme=scheme,
            grading_category=categories.get(level.grading_category_id),
            name=level.name,
            min_total=level.min_total,
            quota_percent=level.quota_percent,
            order=level.order,
        )
    copied = {}
    indicators = source.indicators.prefetch_related("applies_to", "responsible_units").order_by(
        "level", "order", "code"
    )
    for ind in indicators:
        new = Indicator.objects.create(
            scheme=scheme,
            parent=copied.get(ind.parent_id),
            component=components[ind.component_id],
            code=ind.code,
            name=ind.name,
            level=ind.level,
            order=ind.order,
            max_score=ind.max_score,
            method=ind.method,
            veto_grade=ind.veto_grade,
            content=ind.content,
            requirement=ind.requirement,
            responsible_text=ind.responsible_text,
            materials=ind.materials,
            deadline=_shift_year(ind.deadline, years),
        )
        new.applies_to.set(ind.applies_to.all())
        new.responsible_units.set(ind.responsible_units.all())
        copied[ind.pk] = new
    if include_subjects:
        Subject.objects.bulk_create(
            [
                Subject(
                    scheme=scheme,
                    unit_id=s.unit_id,
                    unit_category_id=s.unit_category_id,
                    grading_category=categories[s.grading_category_id],
                    order=s.order,
                )
                for s in source.subjects.all()
            ]
        )
    audit_record(
        action="scheme.copy",
        actor=actor,
        obj=scheme,
        scheme_id=scheme.pk,
        after={"from": source.code, "indicators": len(copied)},
    )
    return scheme


@transaction.atomic
def grading_category_create(
    *, scheme: Scheme, name: str, unit_categories, order: int = 0, actor=None
) -> GradingCategory:
    check_rules_editable(scheme)
    category = GradingCategory.objects.create(scheme=scheme, name=name, order=order)
    category.unit_categories.set(unit_categories)
    Scheme.mark_results_stale(scheme.pk)
    audit_record(
        action="grading_category.create",
        actor=actor,
        obj=category,
        scheme_id=scheme.pk,
        after={"name": name, "unit_categories": [u.pk for u in unit_categories]},
    )
    return category


@dataclass(frozen=True)
class GradeLevelSpec:
    name: str
    min_total: Decimal
    quota_percent: Decimal | None = None


@transaction.atomic
def grade_levels_save(
    *, scheme: Scheme, levels: list[GradeLevelSpec], grading_category=None, actor=None
) -> list[GradeLevel]:
    """Replace the grade levels of the scheme (or of one grading category), best first.

    Names must be distinct and thresholds must fall strictly from one level to the next,
    so a total can never qualify for a lower grade before a higher one.
    """
    check_rules_editable(scheme)
    errors = []
    names = [level.name.strip() for level in levels]
    if not levels and grading_category is None:
        errors.append("至少需要一个等次。")
    if len(set(names)) != len(names) or not all(names):
        errors.append("等次名称不能为空，也不能重复。")
    for higher, lower in zip(levels, levels[1:], strict=False):
        if lower.min_total >= higher.min_total:
            errors.append(
                f"“{lower.name}”的最低总分（{lower.min_total}）必须低于"
                f"“{higher.name}”（{higher.min_total}）。"
            )
    for level in levels:
        if level.quota_percent is not None and not (0 <= level.quota_percent <= 100):
            errors.append(f"“{level.name}”的名额上限必须在 0 到 100 之间。")
    used_vetoes = set(
        scheme.indicators.filter(method=ScoringMethod.VETO).values_list("veto_grade", flat=True)
    )
    missing = sorted(used_vetoes - set(names)) if grading_category is None else []
    if missing:
        errors.append(f"一票否决项引用的等次 {'、'.join(missing)} 不能删除或改名。")
    if errors:
        raise ValidationError(errors)
    existing = scheme.grade_levels.filter(grading_category=grading_category)
    before = list(existing.values_list("name", "min_total", "quota_percent"))
    existing.delete()
    saved = GradeLevel.objects.bulk_create(
        [
            GradeLevel(
                scheme=scheme,
                grading_category=grading_category,
                name=level.name.strip(),
                min_total=level.min_total,
                quota_percent=level.quota_percent,
                order=index,
            )
            for index, level in enumerate(levels)
        ]
    )
    Scheme.mark_results_stale(scheme.pk)
    audit_record(
        action="grade_levels.save",
        actor=actor,
        obj=scheme,
        scheme_id=scheme.pk,
        before={"category": grading_category.pk if grading_category else None, "levels": before},
        after={"levels": [(x.name, x.min_total, x.quota_percent) for x in levels]},
    )
    return saved


@transaction.atomic
def grading_category_delete(*, category: GradingCategory, actor=None) -> None:
    check_rules_editable(category.scheme)
    if category.subjects.exists():
        raise ValidationError(f"评定组别“{category}”中已有考核对象，不能删除。")
    audit_record(
        action="grading_category.delete",
        actor=actor,
        obj=category,
        scheme_id=category.scheme_id,
        before={"name": category.name},
    )
    category.delete()


@transaction.atomic
def component_create(
    *, scheme: Scheme, code: str, name: str, weight: Decimal, order: int = 0, actor=None
) -> Component:
    check_rules_editable(scheme)
    component = Component(scheme=scheme, code=code, name=name, weight=weight, order=order)
    component.full_clean()
    component.save()
    Scheme.mark_results_stale(scheme.pk)
    audit_record(
        action="component.create",
        actor=actor,
        obj=component,
        scheme_id=scheme.pk,
        after={"code": code, "name": name, "weight": weight},
    )
    return component


@transaction.atomic
def component_update(*, component: Component, data: dict, actor=None) -> Component:
    check_rules_editable(component.scheme)
    component, changes = model_update(
        instance=component, fields=["name", "weight", "order"], data=data
    )
    _record_rule_change(
        action="component.update",
        obj=component,
        scheme_id=component.scheme_id,
        changes=changes,
        actor=actor,
    )
    return component


# --- indicators -------------------------------------------------------------------------

INDICATOR_FIELDS = [
    "code",
    "name",
    "order",
    "max_score",
    "method",
    "veto_grade",
    "content",
    "requirement",
    "responsible_text",
    "materials",
    "deadline",
]


@transaction.atomic
def indicator_create(
    *,
    scheme: Scheme,
    code: str,
    name: str,
    component: Component | None = None,
    parent: Indicator | None = None,
    actor=None,
    applies_to=(),
    responsible_units=(),
    **fields,
) -> Indicator:
    check_rules_editable(scheme)
    _check_veto_grade(
        scheme, fields.get("method", ScoringMethod.ENTERED), fields.get("veto_grade", "")
    )
    if parent is not None:
        component = parent.component
    if component is None:
        raise ValidationError({"component": "一级指标必须指定所属考核类别。"})
    indicator = Indicator(
        scheme=scheme,
        parent=parent,
        component=component,
        code=code.strip(),
        name=name.strip(),
        **fields,
    )
    indicator.full_clean()
    if parent is not None and ScoreEntry.objects.filter(indicator=parent).exists():
        raise ValidationError({"parent": "该指标已有得分记录，不能再添加下级指标。"})
    indicator.save()
    indicator.applies_to.set(applies_to)
    indicator.responsible_units.set(responsible_units)
    Scheme.mark_results_stale(scheme.pk)
    audit_record(
        action="indicator.create",
        actor=actor,
        obj=indicator,
        scheme_id=scheme.pk,
        after={
            "code": indicator.code,
            "name": indicator.name,
            "max_score": indicator.max_score,
            "method": indicator.method,
        },
    )
    return indicator


def _check_veto_grade(scheme: Scheme, method: str, veto_grade: str) -> None:
    if method == ScoringMethod.VETO and veto_grade not in set(
        scheme.grade_levels.values_list("name", flat=True)
    ):
        raise ValidationError({"veto_grade": f"“{veto_grade}”不是本方案的等次名称。"})


def _check_existing_scores(indicator: Indicator, data: dict) -> None:
    """Changing a leaf's max score or method must not leave stored values out of range."""
    if "max_score" not in data and "method" not in data:
        return
    probe = Indicator(
        pk=indicator.pk,
        component=indicator.component,
        max_score=data.get("max_score", indicator.max_score),
        method=data.get("method", indicator.method),
        veto_grade=data.get("veto_grade", indicator.veto_grade),
    )
    problems = []
    for unit_name, value in indicator.scores.values_list("subject__unit__name", "value"):
        try:
            engine.check_value(engine.leaf_from_indicator(probe), value)
        except engine.ScoreValueError as error:
            problems.append(f"{unit_name}（{value}）：{error}")
    if problems:
        raise ValidationError(
            [f"已有 {len(problems)} 个得分不符合新的分值或评分方式，请先更正：", *problems[:20]]
        )


@transaction.atomic
def indicator_update(
    *, indicator: Indicator, data: dict, actor=None, applies_to=None, responsible_units=None
) -> Indicator:
    check_rules_editable(indicator.scheme)
    _check_existing_scores(indicator, data)
    _check_veto_grade(
        indicator.scheme,
        data.get("method", indicator.method),
        data.get("veto_grade", indicator.veto_grade),
    )
    indicator, changes = model_update(instance=indicator, fields=INDICATOR_FIELDS, data=data)
    if applies_to is not None:
        old = sorted(indicator.applies_to.values_list("pk", flat=True))
        new = sorted(c.pk for c in applies_to)
        if old != new:
            indicator.applies_to.set(applies_to)
            changes["applies_to"] = (old, new)
    if responsible_units is not None:
        old_units = sorted(indicator.responsible_units.values_list("pk", flat=True))
        new_units = sorted(u.pk for u in responsible_units)
        if old_units != new_units:
            indicator.responsible_units.set(responsible_units)
            changes["responsible_units"] = (old_units, new_units)
    _record_rule_change(
        action="indicator.update",
        obj=indicator,
        scheme_id=indicator.scheme_id,
        changes=changes,
        actor=actor,
    )
    return indicator


@transaction.atomic
def indicator_delete(*, indicator: Indicator, actor=None) -> None:
    """Delete an indicator and its subtree; refused when scores were entered under it."""
    check_rules_editable(indicator.scheme)
    subtree = [indicator.pk]
    frontier = [indicator.pk]
    while frontier:
        frontier = list(
            Indicator.objects.filter(parent_id__in=frontier).values_list("pk", flat=True)
        )
        subtree += frontier
    if ScoreEntry.objects.filter(indicator_id__in=subtree).exists():
        raise ValidationError("该指标（或其下级）已有得分记录，不能删除。请先清除相关得分。")
    audit_record(
        action="indicator.delete",
        actor=actor,
        obj=indicator,
        scheme_id=indicator.scheme_id,
        before={"code": indicator.code, "name": indicator.name, "subtree": subtree},
    )
    Scheme.mark_results_stale(indicator.scheme_id)
    indicator.delete()


# --- subjects ---------------------------------------------------------------------------


@transaction.atomic
def subject_enrol(*, scheme: Scheme, unit, actor=None, order: int | None = None) -> Subject:
    """Enrol a unit; its category decides its grading category."""
    check_rules_editable(scheme)
    if unit.category_id is None:
        raise ValidationError(f"单位“{unit}”没有类别，不能作为考核对象。")
    if not unit.path.startswith(scheme.owner_unit.path) or unit.pk == scheme.owner_unit_id:
        raise ValidationError(f"单位“{unit}”不在“{scheme.owner_unit}”之下，不能纳入本方案。")
    grading = scheme.grading_categories.filter(unit_categories=unit.category_id).first()
    if grading is None:
        raise ValidationError(f"方案中没有包含“{unit.category}”类别的评定组别。")
    if Subject.objects.filter(scheme=scheme, unit=unit).exists():
        raise ValidationError(f"单位“{unit}”已是本方案的考核对象。")
    if order is None:
        order = Subject.objects.filter(scheme=scheme).count() + 1
    subject = Subject.objects.create(
        scheme=scheme,
        unit=unit,
        unit_category_id=unit.category_id,
        grading_category=grading,
        order=order,
    )
    Scheme.mark_results_stale(scheme.pk)
    audit_record(
        action="subject.enrol",
        actor=actor,
        obj=subject,
        scheme_id=scheme.pk,
        after={"unit": unit.pk, "grading_category": grading.name},
    )
    return subject


@transaction.atomic
def subject_withdraw(*, subject: Subject, actor=None) -> None:
    check_rules_editable(subject.scheme)
    audit_record(
        action="subject.withdraw",
        actor=actor,
        obj=subject,
        scheme_id=subject.scheme_id,
        before={
            "unit": subject.unit_id,
            "scores": list(subject.scores.values_list("indicator__code", "value")),
        },
    )
    Scheme.mark_results_stale(subject.scheme_id)
    from kaohe.scoring.models import ComponentResult

    ComponentResult.objects.filter(result__subject=subject).delete()
    subject.delete()
