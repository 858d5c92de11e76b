"""Writes of the scoring app: leaf scores (entries) and the results computed from them."""

from .entries import (
    ScoreChange,
    ScoreConflict,
    ScoreError,
    ScoreProblem,
    check_scores_editable,
    score_errors,
    score_set,
    scores_locked_reason,
    scores_save,
)
from .results import results_ensure_fresh, results_recompute

__all__ = [
    "ScoreChange",
    "ScoreConflict",
    "ScoreError",
    "ScoreProblem",
    "check_scores_editable",
    "results_ensure_fresh",
    "results_recompute",
    "score_errors",
    "score_set",
    "scores_locked_reason",
    "scores_save",
]
