"""Undercover-visit deductions (暗访扣分), written to the scheme's penalty leaf."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kaohe.audit.services import audit_record
from kaohe.onsite import audit_actions
from kaohe.schemes.choices import ScoreSource, ScoringMethod
from kaohe.schemes.models import Indicator
from kaohe.scoring.services import ScoreChange, scores_save

from .. import marks
from ..models import Deduction
from .evidence import evidence_attach


def penalty_leaves(scheme):
    return Indicator.objects.filter(
        scheme=scheme, method=ScoringMethod.PENALTY, children__isnull=True
    ).order_by("code")


def _write_penalty_leaf(subject, indicator: Indicator, actor) -> Decimal:
    active = Deduction.objects.filter(subject=subject, indicator=indicator, withdrawn=False)
    points = [d.points for d in active]
    value = marks.capped_penalty(
        points, indicator.max_score or marks.ZERO, subject.scheme.penalty_cap
    )
    total = sum(points, marks.ZERO)
    note = "；".join(d.reason[:60] for d in active)
    if total > value:
        note = f"暗访扣分合计 {total}，按上限计 {value}。" + note
    scores_save(
        subject=subject,
        changes=[ScoreChange(indicator, value if points else None, note[:1000])],
        actor=actor,
        source=ScoreSource.UNDERCOVER,
    )
    return value


@transaction.atomic
def deduction_record(
    *,
    subject,
    indicator: Indicator,
    points: Decimal,
    reason: str,
    found_on: date | None = None,
    files=(),
    actor=None,
) -> Deduction:
    """Record a deduction with reason and evidence; the penalty leaf becomes the capped sum."""
    if indicator.scheme_id != subject.scheme_id or indicator.method != ScoringMethod.PENALTY:
        raise ValidationError(_("请选择本方案的扣分项指标。"))
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("请填写扣分理由。"))
    if not isinstance(points, Decimal) or not points.is_finite() or points <= 0:
        raise ValidationError(_("扣分必须是大于 0 的数字。"))
    if points != points.quantize(marks.CENT):
        raise ValidationError(_("扣分最多保留两位小数。"))
    deduction = Deduction.objects.create(
        subject=subject,
        indicator=indicator,
        points=points,
        reason=reason,
        found_on=found_on,
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    value = _write_penalty_leaf(subject, indicator, actor)
    evidence_attach(subject=subject, files=files, actor=actor, deduction=deduction)
    audit_record(
        action=audit_actions.ONSITE_DEDUCTION_RECORD,
        actor=actor,
        obj=deduction,
        scheme_id=subject.scheme_id,
        after={"points": points, "reason": reason, "found_on": found_on, "leaf_value": value},
    )
    return deduction


@transaction.atomic
def deduction_withdraw(*, deduction: Deduction, reason: str, actor=None) -> Deduction:
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("撤销扣分须填写原因。"))
    if deduction.withdrawn:
        raise ValidationError(_("该扣分已撤销。"))
    deduction.withdrawn, deduction.withdraw_reason = True, reason[:255]
    deduction.save(update_fields=["withdrawn", "withdraw_reason", "updated_at"])
    value = _write_penalty_leaf(deduction.subject, deduction.indicator, actor)
    audit_record(
        action=audit_actions.ONSITE_DEDUCTION_WITHDRAW,
        actor=actor,
        obj=deduction,
        scheme_id=deduction.subject.scheme_id,
        before={"points": deduction.points},
        message=reason,
        after={"leaf_value": value},
    )
    return deduction
