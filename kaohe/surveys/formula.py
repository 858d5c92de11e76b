"""The survey → leaf score formula, as pure functions over plain numbers (no database).

Default formula (docs/surveys.md): every rating answer contributes its points and the
maximum points of its question; the score is Σ points ÷ Σ maximum × the leaf's max score,
rounded half up to 2 places. Equivalently: the mean rating as a share of the maximum.
Choice and free-text questions do not score. A subject with fewer answers than the
survey's minimum gets no score from this function (None): the office decides.
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from .choices import SATISFIED_SHARE

CENT = Decimal("0.01")


@dataclass
class Tally:
    """What the answers of one subject add up to (rating questions only)."""

    responses: int = 0
    points: Decimal = Decimal("0")
    maximum: Decimal = Decimal("0")
    ratings: int = 0
    satisfied: int = 0
    by_channel: dict[str, int] = field(default_factory=dict)

    def add_rating(self, points: Decimal, question_max: Decimal, count: int = 1) -> None:
        self.points += points * count
        self.maximum += question_max * count
        self.ratings += count
        if question_max > 0 and points >= question_max * SATISFIED_SHARE:
            self.satisfied += count

    @property
    def share(self) -> Decimal | None:
        """Σ points ÷ Σ maximum (exact), or None without rating answers."""
        if self.maximum <= 0:
            return None
        return self.points / self.maximum

    @property
    def satisfaction_rate(self) -> Decimal | None:
        """Share of rating answers at or above 60% of their question's maximum, in percent."""
        if not self.ratings:
            return None
        return (Decimal(self.satisfied) * 100 / self.ratings).quantize(CENT, ROUND_HALF_UP)


def leaf_score(tally: Tally, leaf_max: Decimal, min_answers: int = 0) -> Decimal | None:
    """The leaf's score from the tally, or None when it must not be scored automatically."""
    if tally.responses < max(min_answers, 1):
        return None
    share = tally.share
    if share is None:
        return None
    return (share * leaf_max).quantize(CENT, ROUND_HALF_UP)
