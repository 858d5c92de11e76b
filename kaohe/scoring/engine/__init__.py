"""Pure scoring, ranking and grading over plain data (no database, no Django).

The rules (DESIGN.md "Scoring rules", docs/scoring.md):
- every value is a Decimal; only the final total is rounded, to 2 places, half up;
- a component score is the sum of its applicable leaf scores, scaled to 100 when the
  applicable maximum for the subject's category is not 100;
- total = Σ weight% × component + min(bonus, cap) − min(penalty, cap), kept in [0, 100 + cap];
- ranking per grading category, total descending, tie-break on listed components, then
  equal rank (competition ranking 1, 2, 2, 4);
- grade from thresholds, capped by vetoes, then limited by quotas in rank order."""

from .basics import (
    BONUS,
    CENT,
    CHECKLIST,
    COMPONENT_METHODS,
    DEDUCTION,
    DERIVED,
    ENTERED,
    EXACT_PLACES,
    HUNDRED,
    MAX_VALUE,
    PENALTY,
    PRECISION,
    UNGRADED,
    VETO,
    ZERO,
    Leaf,
    round_total,
)
from .data import ComponentScore, GradeRule, Placement, Rules, SubjectInput, SubjectScore
from .leaves import is_deduction, leaf_from_indicator, points_lost
from .placing import (
    _place_group,
    _quota_capacity,
    _rank_key,
    _threshold_index,
    _wanted_level,
    compute_results,
    grade_scores,
    place_scores,
    rank_scores,
)
from .scores import ScoreValueError, check_value, combine, leaf_score, score_subject

__all__ = [
    "BONUS",
    "CENT",
    "CHECKLIST",
    "COMPONENT_METHODS",
    "ComponentScore",
    "DEDUCTION",
    "DERIVED",
    "ENTERED",
    "EXACT_PLACES",
    "GradeRule",
    "HUNDRED",
    "Leaf",
    "MAX_VALUE",
    "PENALTY",
    "PRECISION",
    "Placement",
    "Rules",
    "ScoreValueError",
    "SubjectInput",
    "SubjectScore",
    "UNGRADED",
    "VETO",
    "ZERO",
    "_place_group",
    "_quota_capacity",
    "_rank_key",
    "_threshold_index",
    "_wanted_level",
    "check_value",
    "combine",
    "compute_results",
    "grade_scores",
    "is_deduction",
    "leaf_from_indicator",
    "leaf_score",
    "place_scores",
    "points_lost",
    "rank_scores",
    "round_total",
    "score_subject",
]
