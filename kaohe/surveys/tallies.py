"""Counting answers per subject and per option in a few grouped queries (read side)."""

from collections import defaultdict

from django.db.models import Count, Max

from .choices import QuestionKind
from .formula import Tally
from .models import Answer, Choice, Response


def question_maxima(questionnaire) -> dict[int, object]:
    return dict(
        Choice.objects.filter(
            question__questionnaire=questionnaire, question__kind=QuestionKind.RATING
        )
        .values("question_id")
        .annotate(top=Max("points"))
        .values_list("question_id", "top")
    )


def distribution(survey, target_ids=None) -> dict[tuple[int, int, int], int]:
    """(target id, question id, choice id) → number of answers."""
    rows = Answer.objects.filter(response__survey=survey, choice__isnull=False)
    if target_ids is not None:
        rows = rows.filter(response__target_id__in=target_ids)
    grouped = rows.values("response__target_id", "question_id", "choice_id").annotate(n=Count("id"))
    return {(r["response__target_id"], r["question_id"], r["choice_id"]): r["n"] for r in grouped}


def tallies(survey, target_ids=None) -> dict[int, Tally]:
    """Target id → its Tally (responses by channel, rating points, satisfied answers)."""
    result: dict[int, Tally] = defaultdict(Tally)
    responses = Response.objects.filter(survey=survey)
    if target_ids is not None:
        responses = responses.filter(target_id__in=target_ids)
    for row in responses.values("target_id", "channel").annotate(n=Count("id")):
        tally = result[row["target_id"]]
        tally.responses += row["n"]
        tally.by_channel[row["channel"]] = tally.by_channel.get(row["channel"], 0) + row["n"]
    maxima = question_maxima(survey.questionnaire)
    points = dict(Choice.objects.filter(question_id__in=maxima).values_list("pk", "points"))
    for (target_id, question_id, choice_id), n in distribution(survey, target_ids).items():
        if question_id in maxima and points.get(choice_id) is not None:
            result[target_id].add_rating(points[choice_id], maxima[question_id], n)
    return result
