"""The one score service, imported here and nowhere else in the API (it is moving from
kaohe.schemes.services to kaohe.scoring.services: this line is the only one to change)."""

from kaohe.schemes.services import (  # noqa: F401
    ScoreChange,
    ScoreConflict,
    check_scores_editable,
    score_set,
    scores_save,
)
