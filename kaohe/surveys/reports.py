"""Report data for a survey: per-subject counts, per-question distributions, free text.

Plain dictionaries and lists, built from a few grouped queries; never a respondent's row.
"""

from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

from .choices import Channel, QuestionKind
from .formula import CENT, Tally, leaf_score
from .models import Answer
from .tallies import distribution, tallies

CHANNELS = list(Channel)


def _pct(value: Decimal | None) -> Decimal | None:
    return None if value is None else (value * 100).quantize(CENT, ROUND_HALF_UP)


def subject_rows(survey, targets) -> list[dict]:
    counts = tallies(survey, [t.pk for t in targets])
    leaf_max = survey.indicator.max_score if survey.indicator else None
    rows = []
    for target in targets:
        tally = counts.get(target.pk, Tally())
        rows.append(
            {
                "target": target,
                "unit": str(target.subject.unit),
                "category": str(target.subject.grading_category),
                "channels": [tally.by_channel.get(c, 0) for c in CHANNELS],
                "responses": tally.responses,
                "share": _pct(tally.share),
                "rate": tally.satisfaction_rate,
                "score": leaf_score(tally, leaf_max, survey.min_answers) if leaf_max else None,
                "below_min": tally.responses < survey.min_answers,
            }
        )
    return rows


def question_distributions(survey, questions, target_ids=None) -> list[dict]:
    counts = defaultdict(int)
    for (_target, question_id, choice_id), n in distribution(survey, target_ids).items():
        counts[(question_id, choice_id)] += n
    result = []
    for question in questions:
        if question.kind == QuestionKind.TEXT:
            continue
        choices = list(question.choices.all())
        data = [counts[(question.pk, c.pk)] for c in choices]
        total = sum(data)
        result.append(
            {
                "question": question,
                "key": f"chart-q{question.pk}",
                "rows": [
                    (c.label, c.points, n, _pct(Decimal(n) / total) if total else None)
                    for c, n in zip(choices, data, strict=True)
                ],
                "echarts": {
                    "x": [c.label for c in choices],
                    "series": [{"name": _("人数"), "data": data}],
                },
            }
        )
    return result


def free_texts(survey, target_ids=None, *, include_hidden: bool):
    rows = Answer.objects.filter(
        response__survey=survey, question__kind=QuestionKind.TEXT
    ).select_related("question", "response__target__subject__unit")
    if target_ids is not None:
        rows = rows.filter(response__target_id__in=target_ids)
    if not include_hidden:
        rows = rows.filter(hidden=False)
    return rows.order_by("response__target__subject__order", "question__order", "pk")


def category_charts(rows: list[dict]) -> list[dict]:
    by_category = defaultdict(list)
    for row in rows:
        by_category[row["category"]].append(row)
    charts = []
    for index, (category, members) in enumerate(by_category.items()):
        members = sorted(members, key=lambda r: r["share"] or Decimal("-1"), reverse=True)
        charts.append(
            {
                "title": category,
                "key": f"chart-cat{index}",
                "rows": members,
                "echarts": {
                    "x": [r["unit"] for r in members],
                    "series": [
                        {"name": _("得分率%"), "data": [float(r["share"] or 0) for r in members]},
                        {"name": _("满意率%"), "data": [float(r["rate"] or 0) for r in members]},
                    ],
                },
            }
        )
    return charts


def channel_labels() -> list[str]:
    return [str(c.label) for c in CHANNELS]
