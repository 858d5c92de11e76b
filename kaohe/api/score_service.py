"""The one score service, imported here and nowhere else in the API."""

from kaohe.scoring.services import (  # noqa: F401
    ScoreChange,
    ScoreConflict,
    check_scores_editable,
    score_errors,
    score_set,
    scores_save,
)
