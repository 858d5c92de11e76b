"""The one place the exams app writes a leaf score (the core score service, source "exam")."""

from kaohe.schemes.choices import ScoreSource
from kaohe.scoring.services import ScoreChange, scores_save

SOURCE = ScoreSource.EXAM


def leaf_score_save(*, subject, indicator, value, note: str, actor=None) -> None:
    scores_save(
        subject=subject, changes=[ScoreChange(indicator, value, note)], actor=actor, source=SOURCE
    )
