"""Survey answers → leaf scores through the core score service (source "survey").

This is the one module of the app that imports the score service.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kaohe.audit.services import audit_record
from kaohe.schemes.choices import ScoreSource
from kaohe.scoring.services import ScoreChange, score_set, scores_save

from .. import audit_actions as actions
from ..formula import Tally, leaf_score
from ..tallies import tallies
from .common import require_office

SOURCE = ScoreSource.SURVEY


@dataclass
class ScoreRow:
    target: object
    tally: Tally
    score: Decimal | None

    @property
    def below_minimum(self) -> bool:
        return self.score is None


def score_preview(survey) -> list[ScoreRow]:
    """Each subject's tally and the score it would get (None: too few answers)."""
    if survey.indicator is None:
        raise ValidationError(_("该调查未指定计分指标。"))
    counts = tallies(survey)
    leaf_max = survey.indicator.max_score or Decimal("0")
    rows = []
    for target in survey.targets.select_related("subject__unit"):
        tally = counts.get(target.pk, Tally())
        rows.append(ScoreRow(target, tally, leaf_score(tally, leaf_max, survey.min_answers)))
    return rows


def _note(survey, tally: Tally) -> str:
    share = tally.share or Decimal("0")
    return (
        f"满意度调查“{survey.title}”：{tally.responses} 份答卷，评分题得分率 "
        f"{(share * 100).quantize(Decimal('0.01'))}%（Σ得分 {tally.points} ÷ Σ满分 "
        f"{tally.maximum} × 指标分值 {survey.indicator.max_score}）"
    )


@transaction.atomic
def survey_score(*, survey, actor) -> tuple[list[ScoreRow], list[ScoreRow]]:
    """Write the leaf score of every subject with enough answers; return (scored, skipped).

    Skipped subjects (fewer answers than the minimum, or none) are not scored: the office
    extends the survey or enters the score by hand with a note (survey_manual_score).
    """
    require_office(actor, survey.scheme)
    scored, skipped = [], []
    for row in score_preview(survey):
        if row.below_minimum:
            skipped.append(row)
            continue
        scores_save(
            subject=row.target.subject,
            changes=[ScoreChange(survey.indicator, row.score, _note(survey, row.tally))],
            actor=actor,
            source=SOURCE,
        )
        scored.append(row)
    audit_record(
        action=actions.SURVEY_SCORE,
        actor=actor,
        obj=survey,
        scheme_id=survey.scheme_id,
        after={
            "indicator": survey.indicator.code,
            "scored": len(scored),
            "skipped": [r.target.subject_id for r in skipped],
        },
    )
    return scored, skipped


@transaction.atomic
def survey_manual_score(*, survey, target, value: Decimal, note: str, actor):
    """The office's decision for a subject below the minimum: a typed score with its reason."""
    require_office(actor, survey.scheme)
    if survey.indicator is None:
        raise ValidationError(_("该调查未指定计分指标。"))
    if target.survey_id != survey.pk:
        raise ValidationError(_("单位不属于该调查。"))
    note = (note or "").strip()
    if not note:
        raise ValidationError(_("手工录入须说明理由。"))
    count = target.responses.count()
    entry = score_set(
        subject=target.subject,
        indicator=survey.indicator,
        value=value,
        note=f"满意度调查“{survey.title}”答卷 {count} 份，少于最少 {survey.min_answers} 份，"
        f"考核办手工录入：{note}",
        actor=actor,
        source=ScoreSource.MANUAL,
    )
    audit_record(
        action=actions.SURVEY_MANUAL_SCORE,
        actor=actor,
        obj=survey,
        scheme_id=survey.scheme_id,
        after={"subject": target.subject_id, "value": value, "note": note},
    )
    return entry
