"""Survey reports (per subject, per question, free text, category comparison) and the trace."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kaohe.common.excel import Sheet, xlsx_response

from .. import reports, selectors
from ..services.submissions import answer_hide as hide_service


def _export(survey, rows, distributions, texts):
    headers = [
        _("单位"),
        _("评定组别"),
        *reports.channel_labels(),
        _("答卷数"),
        _("得分率%"),
        _("满意率%"),
        _("得分"),
    ]
    summary = [
        [
            r["unit"],
            r["category"],
            *r["channels"],
            r["responses"],
            r["share"],
            r["rate"],
            r["score"],
        ]
        for r in rows
    ]
    dist = [
        [d["question"].text, label, points, n, pct]
        for d in distributions
        for label, points, n, pct in d["rows"]
    ]
    text_rows = [[a.response.target.subject.unit.name, a.question.text, a.text] for a in texts]
    return xlsx_response(
        _("%(title)s-统计") % {"title": survey.title},
        [
            Sheet(_("单位汇总"), headers, summary),
            Sheet(_("题目分布"), [_("题目"), _("选项"), _("分值"), _("人数"), _("占比%")], dist),
            Sheet(_("意见建议"), [_("单位"), _("题目"), _("内容")], text_rows),
        ],
    )


@login_required
def survey_report(request, pk):
    survey = selectors.access_survey(request.user, pk)
    targets = list(selectors.result_targets(survey))
    chosen = [t for t in targets if str(t.pk) == request.GET.get("target", "")]
    target_ids = [t.pk for t in chosen] if chosen else None
    questions = selectors.questions_of(survey.questionnaire)
    rows = reports.subject_rows(survey, targets)
    distributions = reports.question_distributions(survey, questions, target_ids)
    if request.GET.get("format") == "xlsx":
        texts = reports.free_texts(survey, target_ids, include_hidden=False)
        return _export(survey, rows, distributions, texts)
    return render(
        request,
        "surveys/report.html",
        {
            "survey": survey,
            "scheme": survey.scheme,
            "rows": rows,
            "chosen": chosen[0] if chosen else None,
            "targets": targets,
            "channels": reports.channel_labels(),
            "distributions": distributions,
            "texts": reports.free_texts(survey, target_ids, include_hidden=True)[:500],
            "categories": reports.category_charts(rows),
        },
    )


@login_required
def target_trace(request, pk):
    """Leaf → survey → counts and distribution for one subject (never a respondent)."""
    target = selectors.access_target(request.user, pk)
    survey = target.survey
    questions = selectors.questions_of(survey.questionnaire)
    row = reports.subject_rows(survey, [target])[0]
    entry = None
    if survey.indicator_id:
        entry = survey.indicator.scores.filter(subject=target.subject).first()
    return render(
        request,
        "surveys/trace.html",
        {
            "target": target,
            "survey": survey,
            "scheme": survey.scheme,
            "row": row,
            "channels": list(zip(reports.channel_labels(), row["channels"], strict=True)),
            "distributions": reports.question_distributions(survey, questions, [target.pk]),
            "entry": entry,
        },
    )


@login_required
def leaf_trace(request, subject_id, indicator_id):
    """From a leaf score in the results trace to the survey that made it."""
    target = selectors.target_for_leaf(request.user, subject_id, indicator_id)
    return redirect("surveys:target_trace", pk=target.pk)


@login_required
@require_POST
def answer_hide(request, pk):
    answer = selectors.access_answer(request.user, pk)
    hide_service(answer=answer, hidden=request.POST.get("hidden") == "1", actor=request.user)
    url = f"/surveys/surveys/{answer.response.survey_id}/report/"
    if request.POST.get("target", "").isdigit():
        url += f"?target={request.POST['target']}"
    return redirect(url + "#texts")
