"""Constants, the one rounding, and the leaf as the engine sees it."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from kaohe.common.decimals import round_half_up

ZERO = Decimal("0")
HUNDRED = Decimal("100")
CENT = Decimal("0.01")
MAX_VALUE = Decimal("999999.99")  # what the score column holds
EXACT_PLACES = Decimal("1E-10")
PRECISION = 50

ENTERED = "entered"
DEDUCTION = "deduction"
CHECKLIST = "checklist"
DERIVED = "derived"
BONUS = "bonus"
PENALTY = "penalty"
VETO = "veto"
COMPONENT_METHODS = frozenset({ENTERED, DEDUCTION, CHECKLIST, DERIVED})
UNGRADED = "未定等次"  # stored as the grade; pages show it translated (scoring_text.grade_name)


def round_total(value: Decimal) -> Decimal:
    """The one rounding in the whole computation: 2 places, half up (89.995 → 90.00)."""
    return round_half_up(value, CENT)


@dataclass(frozen=True)
class Leaf:
    """A leaf indicator as the engine needs it."""

    id: int
    component: str
    method: str
    max_score: Decimal
    applies_to: frozenset = frozenset()
    veto_grade: str = ""
    code: str = ""

    def applies(self, unit_category) -> bool:
        return not self.applies_to or unit_category in self.applies_to
