"""Writes to grading rules: grading categories, grade levels and quotas, components and weights."""

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext

from kaohe.audit.services import audit_record
from kaohe.common.services import model_update
from kaohe.common.text import join_list
from kaohe.schemes import audit_actions

from ..choices import ScoringMethod
from ..models import (
    Component,
    GradeLevel,
    GradingCategory,
    Scheme,
)
from .rules import _record_rule_change, check_rules_editable


@transaction.atomic
def grading_category_create(
    *, scheme: Scheme, name: str, unit_categories, order: int = 0, actor=None
) -> GradingCategory:
    check_rules_editable(scheme)
    category = GradingCategory.objects.create(scheme=scheme, name=name, order=order)
    category.unit_categories.set(unit_categories)
    Scheme.mark_results_stale(scheme.pk)
    audit_record(
        action=audit_actions.GRADING_CATEGORY_CREATE,
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


def _grade_level_errors(scheme: Scheme, levels: list[GradeLevelSpec], grading_category) -> list:
    """What is wrong with a list of grade levels (empty: nothing)."""
    errors = []
    names = [level.name.strip() for level in levels]
    if not levels and grading_category is None:
        errors.append(gettext("至少需要一个等次。"))
    if len(set(names)) != len(names) or not all(names):
        errors.append(gettext("等次名称不能为空，也不能重复。"))
    for higher, lower in zip(levels, levels[1:], strict=False):
        if lower.min_total >= higher.min_total:
            errors.append(
                gettext(
                    "“%(name)s”的最低总分（%(min_total)s）必须低于“%(name2)s”（%(min_total2)s）。"
                )
                % {
                    "name": lower.name,
                    "min_total": lower.min_total,
                    "name2": higher.name,
                    "min_total2": higher.min_total,
                }
            )
    for level in levels:
        if level.quota_percent is not None and not (0 <= level.quota_percent <= 100):
            errors.append(
                gettext("“%(name)s”的名额上限必须在 0 到 100 之间。") % {"name": level.name}
            )
    used_vetoes = set(
        scheme.indicators.filter(method=ScoringMethod.VETO).values_list("veto_grade", flat=True)
    )
    missing = sorted(used_vetoes - set(names)) if grading_category is None else []
    if missing:
        errors.append(
            gettext("一票否决项引用的等次 %(value)s 不能删除或改名。")
            % {"value": join_list(missing)}
        )
    return errors


@transaction.atomic
def grade_levels_save(
    *, scheme: Scheme, levels: list[GradeLevelSpec], grading_category=None, actor=None
) -> list[GradeLevel]:
    """Replace the grade levels of the scheme (or of one grading category), best first.

    Names must be distinct and thresholds must fall strictly from one level to the next,
    so a total can never qualify for a lower grade before a higher one.
    """
    check_rules_editable(scheme)
    errors = _grade_level_errors(scheme, levels, grading_category)
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
        action=audit_actions.GRADE_LEVELS_SAVE,
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
        raise ValidationError(
            gettext("评定组别“%(category)s”中已有考核对象，不能删除。") % {"category": category}
        )
    audit_record(
        action=audit_actions.GRADING_CATEGORY_DELETE,
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
        action=audit_actions.COMPONENT_CREATE,
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
        action=audit_actions.COMPONENT_UPDATE,
        obj=component,
        scheme_id=component.scheme_id,
        changes=changes,
        actor=actor,
    )
    return component
