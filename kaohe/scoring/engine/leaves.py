"""From an indicator row to the engine's leaf; points lost on a leaf."""

from __future__ import annotations

from decimal import Decimal

from .basics import CHECKLIST, COMPONENT_METHODS, DEDUCTION, PENALTY, ZERO, Leaf
from .scores import leaf_score


def leaf_from_indicator(indicator, applies_to: frozenset = frozenset()) -> Leaf:
    """The engine's view of one leaf indicator row — the one place this mapping is written.

    Duck-typed (reads pk, component, method, max_score, veto_grade, code) so the engine stays
    free of Django while every caller, including rule checks in `schemes`, builds leaves alike.
    """
    component = getattr(indicator, "component", None) if indicator.component_id else None
    return Leaf(
        id=indicator.pk,
        component=component.code if component is not None else "",
        method=indicator.method,
        max_score=indicator.max_score or ZERO,
        applies_to=applies_to,
        veto_grade=indicator.veto_grade,
        code=indicator.code,
    )


def points_lost(leaf: Leaf, value: Decimal | None) -> Decimal:
    """Points a stored value costs the subject: max − score for component leaves, the value
    itself for a penalty item, nothing for bonus and veto. Unscored leaves lose nothing yet."""
    if value is None:
        return ZERO
    if leaf.method == PENALTY:
        return value
    if leaf.method not in COMPONENT_METHODS:
        return ZERO
    return leaf.max_score - leaf_score(leaf, value)


def is_deduction(leaf: Leaf) -> bool:
    """Whether points lost on this leaf are a deduction (扣分) rather than a lower mark."""
    return leaf.method in (DEDUCTION, PENALTY, CHECKLIST)
