"""Writes to the indicator tree: create, update (existing scores must stay valid), delete."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext

from kaohe.audit.services import audit_record
from kaohe.common.services import model_update
from kaohe.schemes import audit_actions
from kaohe.scoring import engine

from ..choices import ScoringMethod
from ..models import (
    Component,
    Indicator,
    Scheme,
    ScoreEntry,
)
from .rules import _record_rule_change, check_rules_editable

# --- indicators -------------------------------------------------------------------------

INDICATOR_FIELDS = Indicator.EDITABLE_FIELDS


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
        raise ValidationError({"component": gettext("一级指标必须指定所属考核类别。")})
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
        raise ValidationError({"parent": gettext("该指标已有得分记录，不能再添加下级指标。")})
    indicator.save()
    indicator.applies_to.set(applies_to)
    indicator.responsible_units.set(responsible_units)
    Scheme.mark_results_stale(scheme.pk)
    audit_record(
        action=audit_actions.INDICATOR_CREATE,
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
        raise ValidationError(
            {
                "veto_grade": (
                    gettext("“%(veto_grade)s”不是本方案的等次名称。") % {"veto_grade": veto_grade}
                )
            }
        )


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
            problems.append(
                gettext("%(unit_name)s（%(value)s）：%(error)s")
                % {"unit_name": unit_name, "value": value, "error": error.translated(gettext)}
            )
    if problems:
        raise ValidationError(
            [
                (
                    gettext("已有 %(n_problems)s 个得分不符合新的分值或评分方式，请先更正：")
                    % {"n_problems": len(problems)}
                ),
                *problems[:20],
            ]
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
        action=audit_actions.INDICATOR_UPDATE,
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
        raise ValidationError(
            gettext("该指标（或其下级）已有得分记录，不能删除。请先清除相关得分。")
        )
    audit_record(
        action=audit_actions.INDICATOR_DELETE,
        actor=actor,
        obj=indicator,
        scheme_id=indicator.scheme_id,
        before={"code": indicator.code, "name": indicator.name, "subtree": subtree},
    )
    Scheme.mark_results_stale(indicator.scheme_id)
    indicator.delete()
