"""Writes to a scheme itself: create, update, copy from last year."""

from datetime import date

from django.db import transaction

from kaohe.audit.services import audit_record
from kaohe.common.services import model_update
from kaohe.schemes import audit_actions

from ..models import (
    Component,
    GradeLevel,
    GradingCategory,
    Indicator,
    Scheme,
    Subject,
)
from .rules import (
    DEFAULT_COMPONENTS,
    DEFAULT_GRADES,
    RULE_FIELDS,
    _check_tie_break,
    _record_rule_change,
    check_rules_editable,
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
        action=audit_actions.SCHEME_CREATE,
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
        action=audit_actions.SCHEME_UPDATE,
        obj=scheme,
        scheme_id=scheme.pk,
        changes=changes,
        actor=actor,
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
    categories = _copy_grading(source, scheme)
    copied = _copy_indicators(source, scheme, components, years=year - source.year)
    if include_subjects:
        _copy_subjects(source, scheme, categories)
    audit_record(
        action=audit_actions.SCHEME_COPY,
        actor=actor,
        obj=scheme,
        scheme_id=scheme.pk,
        after={"from": source.code, "indicators": len(copied)},
    )
    return scheme


def _copy_grading(source: Scheme, scheme: Scheme) -> dict:
    """Copy grading categories and grade levels; old category pk → new category."""
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
    return categories


def _copy_indicators(source: Scheme, scheme: Scheme, components: dict, *, years: int) -> dict:
    """Copy the indicator tree parents first, deadlines moved by `years`; old pk → new."""
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
    return copied


def _copy_subjects(source: Scheme, scheme: Scheme, categories: dict) -> None:
    """Copy the assessed subjects into their new grading categories in one insert."""
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
