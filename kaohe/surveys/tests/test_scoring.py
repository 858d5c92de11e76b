"""Answers → the leaf's score through the core score service (source "survey")."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from kaohe.schemes.models import ScoreEntry
from kaohe.surveys.factories import make_setup
from kaohe.surveys.services.scoring import score_preview, survey_manual_score, survey_score
from kaohe.surveys.services.submissions import CleanAnswer, response_team_enter

pytestmark = pytest.mark.django_db


def _enter(setup, target, *labels, channel="paper"):
    for label in labels:
        response_team_enter(
            target=target,
            answers=[
                CleanAnswer(setup.rating.pk, setup.rating.choices.get(label=label).pk),
                CleanAnswer(setup.single.pk, setup.single.choices.first().pk),
            ],
            channel=channel,
            actor=setup.office,
        )


def test_scores_written_through_the_score_service_with_source_survey():
    setup = make_setup(min_answers=2)
    first, second = (setup.survey.targets.get(subject=s) for s in setup.subjects)
    _enter(setup, first, "非常满意", "满意", "基本满意")  # 24 of 30 → 0.8 × 50 = 40.00
    _enter(setup, second, "非常满意")  # one answer < minimum 2
    scored, skipped = survey_score(survey=setup.survey, actor=setup.office)
    assert [r.target for r in scored] == [first] and [r.target for r in skipped] == [second]
    entry = ScoreEntry.objects.get(subject=setup.subjects[0])
    assert entry.value == Decimal("40.00") and entry.source == "survey"
    assert "3 份答卷" in entry.note and "80.00%" in entry.note
    assert not ScoreEntry.objects.filter(subject=setup.subjects[1]).exists()
    assert setup.scheme.__class__.objects.get(pk=setup.scheme.pk).results_stale


def test_below_minimum_is_a_decision_with_a_note():
    setup = make_setup(min_answers=5)
    target = setup.target
    _enter(setup, target, "满意")
    [row, _other] = score_preview(setup.survey)
    assert row.below_minimum
    with pytest.raises(ValidationError, match="理由"):
        survey_manual_score(
            survey=setup.survey, target=target, value=Decimal("45"), note=" ", actor=setup.office
        )
    survey_manual_score(
        survey=setup.survey,
        target=target,
        value=Decimal("45"),
        note="座谈会企业不足，按座谈纪要评定",
        actor=setup.office,
    )
    entry = ScoreEntry.objects.get(subject=target.subject)
    assert entry.source == "manual" and "少于最少 5 份" in entry.note


def test_frozen_scheme_refuses_survey_scores():
    setup = make_setup()
    _enter(setup, setup.target, "满意")
    setup.scheme.status = "frozen"
    setup.scheme.save()
    with pytest.raises(ValidationError):
        survey_score(survey=setup.survey, actor=setup.office)
    assert not ScoreEntry.objects.exists()


def test_trace_shows_counts_and_distribution_not_respondents(client):
    setup = make_setup()
    _enter(setup, setup.target, "满意", "满意", channel="interviewer")
    _enter(setup, setup.target, "非常满意")
    survey_score(survey=setup.survey, actor=setup.office)
    client.force_login(setup.office)
    body = client.get(f"/surveys/targets/{setup.target.pk}/trace/").content.decode()
    assert "考核组访谈录入 2" in body and "纸质问卷录入 1" in body
    assert "86.67" in body  # (8 + 8 + 10) / 30
    assert "43.33" in body  # × 50
    for response in setup.survey.responses.all():
        assert str(response.pk) not in body


def test_results_trace_links_a_survey_score_to_its_survey(client):
    setup = make_setup()
    _enter(setup, setup.target, "满意")
    survey_score(survey=setup.survey, actor=setup.office)
    client.force_login(setup.office)
    subject, leaf = setup.subjects[0], setup.survey.indicator
    trace = client.get(f"/results/subject/{subject.pk}/").content.decode()
    link = f"/surveys/subjects/{subject.pk}/indicators/{leaf.pk}/trace/"
    assert link in trace
    assert client.get(link)["Location"] == f"/surveys/targets/{setup.target.pk}/trace/"
