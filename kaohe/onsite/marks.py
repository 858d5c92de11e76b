"""Pure helpers turning on-site findings into a leaf value (Decimal only, no database).

A finding is a fraction in [0, 1] of the leaf's requirement met. By the leaf's method:
entered / checklist / derived → value = max × fraction; deduction → value = max × (1 − fraction)
(deducted points). Values are rounded half up to 0.01, the precision scores are stored with.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

ZERO, ONE, CENT = Decimal("0"), Decimal("1"), Decimal("0.01")
FRACTION_METHODS = ("entered", "checklist", "derived", "deduction")
FILING_DAYS = 15
REVIEW_DAYS = 60


class MethodNotSupported(ValueError):
    pass


def leaf_value(method: str, max_score: Decimal, fraction: Decimal) -> Decimal:
    if method not in FRACTION_METHODS:
        raise MethodNotSupported(_("评分方式“%(method)s”不能由检查结果折算。") % {"method": method})
    fraction = min(ONE, max(ZERO, fraction))
    earned = max_score * fraction
    value = max_score - earned if method == "deduction" else earned
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def checklist_fraction(answers: Sequence[tuple]) -> Decimal:
    """answers: (result, points[, credit]) per item. Items without points weigh 1; 'na' items
    don't count; 'partial' earns its credit (0–1) of the item's weight.

    All items n.a. → 1 (nothing applicable, nothing lost).
    """
    rows = [(a[0], a[1], a[2] if len(a) > 2 else None) for a in answers]
    weights = [(r, ONE if p is None else p, c) for r, p, c in rows if r != "na"]
    total = sum((w for _, w, _ in weights), ZERO)
    if total == ZERO:
        return ONE
    earned = ZERO
    for result, weight, credit in weights:
        if result == "pass":
            earned += weight
        elif result == "partial":
            earned += weight * min(ONE, max(ZERO, credit or ZERO))
    return earned / total


def mean(values: Iterable[Decimal]) -> Decimal:
    values = list(values)
    return sum(values, ZERO) / len(values) if values else ZERO


@dataclass(frozen=True)
class CaseCriterionRow:
    id: int
    is_basic: bool
    points: Decimal


def case_file_score(full: Decimal, criteria: Sequence[CaseCriterionRow], failed: set[int]):
    """(score, qualified): any failed basic item → 0 and 不合格; else full − deductions, ≥ 0."""
    if any(c.is_basic and c.id in failed for c in criteria):
        return ZERO, False
    deducted = sum((c.points for c in criteria if c.id in failed and not c.is_basic), ZERO)
    return max(ZERO, full - deducted), True


@dataclass(frozen=True)
class FilingFacts:
    has_report: bool
    has_review_form: bool
    has_decision: bool
    form_proper: bool
    decision_date: date | None
    filing_date: date | None
    received_date: date | None
    reviewed_date: date | None


def filing_breaches(f: FilingFacts) -> list[str]:
    """What a major-penalty filing record breaks; computed from the dates, days counted
    as calendar days after the starting day (decision on 1 March → due by 16 March)."""
    out = []
    if not f.has_report:
        out.append(_("缺少重大行政处罚备案报告"))
    if not f.has_review_form:
        out.append(_("缺少重大行政处罚备案审查表"))
    if not f.has_decision:
        out.append(_("缺少行政处罚决定书"))
    if not f.form_proper:
        out.append(_("备案审查表填写不规范"))
    if f.decision_date is None or f.filing_date is None:
        out.append(_("缺少处罚决定日期或备案日期，无法核对15日备案时限"))
    else:
        days = (f.filing_date - f.decision_date).days
        if days < 0:
            out.append(_("备案日期早于处罚决定日期，日期有误"))
        elif days > FILING_DAYS:
            out.append(
                _("决定后第 %(days)s 日才备案，超过 %(FILING_DAYS)s 日时限 %(value)s 日")
                % {"days": days, "FILING_DAYS": FILING_DAYS, "value": days - FILING_DAYS}
            )
    if f.received_date is None or f.reviewed_date is None:
        out.append(_("缺少收到备案日期或审查完成日期，无法核对60日审查时限"))
    else:
        days = (f.reviewed_date - f.received_date).days
        if days < 0:
            out.append(_("审查完成日期早于收到日期，日期有误"))
        elif days > REVIEW_DAYS:
            out.append(
                _("收到后第 %(days)s 日才完成审查，超过 %(REVIEW_DAYS)s 日时限 %(value)s 日")
                % {"days": days, "REVIEW_DAYS": REVIEW_DAYS, "value": days - REVIEW_DAYS}
            )
    return out


def capped_penalty(points: Iterable[Decimal], max_score: Decimal, scheme_cap: Decimal) -> Decimal:
    """Sum of deductions, capped by the leaf's max and (when set) the scheme's penalty cap."""
    total = sum(points, ZERO)
    cap = max_score if scheme_cap <= ZERO else min(max_score, scheme_cap)
    return min(total, cap)
