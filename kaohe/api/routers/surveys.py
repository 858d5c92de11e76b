"""Satisfaction survey results (kaohe.surveys), for the scheme's office as the report pages:
per subject (answers by channel, score share, satisfaction rate, the leaf score) and per
question (how many chose each option). Only grouped counts: never one response, a free-text
answer, an invitation code or anything else that could point to a respondent."""

from ninja import Query, Router, Schema

from kaohe.surveys import reports, selectors
from kaohe.surveys.choices import Channel

from ..schemas.feedback import QuestionResultPage, SurveyPage, SurveyResultPage
from .common import READ_ERRORS, Paging, dec, id_param, page, page_together, pk

router = Router(tags=["满意度调查"])


def survey_out(s) -> dict:
    return {
        "id": s.pk,
        "title": s.title,
        "indicator_id": s.indicator_id,
        "indicator_code": s.indicator.code if s.indicator else None,
        "mode": s.mode,
        "opens_at": s.opens_at,
        "closes_at": s.closes_at,
        "min_answers": s.min_answers,
    }


@router.get(
    "/schemes/{scheme_id}/surveys", response={200: SurveyPage, **READ_ERRORS}, summary="满意度调查"
)
def survey_list(request, paging: Query[Paging], scheme_id: int = pk()):
    scheme = selectors.office_scheme(request.user, scheme_id)
    return page(selectors.surveys_for(request.user, scheme).order_by("pk"), paging, survey_out)


class SurveyResultFilter(Schema):
    subject_id: int | None = id_param("考核对象")
    unit_id: int | None = id_param("单位")
    category_id: int | None = id_param("评定类别")


def _result_rows(survey, targets) -> list[dict]:
    return [
        {
            "subject_id": row["target"].subject_id,
            "unit": row["unit"],
            "grading_category": row["category"],
            "responses": row["responses"],
            "channels": [
                {"channel": c.value, "responses": n}
                for c, n in zip(Channel, row["channels"], strict=True)
            ],
            "share_percent": dec(row["share"]),
            "satisfaction_rate": dec(row["rate"]),
            "score": dec(row["score"]),
            "below_min": row["below_min"],
        }
        for row in reports.subject_rows(survey, targets)
    ]


@router.get(
    "/surveys/{survey_id}/results",
    response={200: SurveyResultPage, **READ_ERRORS},
    summary="满意度调查结果（每个考核对象一行：答卷数、得分率、满意率、指标得分）",
)
def survey_results(
    request, paging: Query[Paging], flt: Query[SurveyResultFilter], survey_id: int = pk()
):
    survey = selectors.access_survey(request.user, survey_id)
    targets = selectors.result_targets(survey)
    if flt.subject_id:
        targets = targets.filter(subject_id=flt.subject_id)
    if flt.unit_id:
        targets = targets.filter(subject__unit_id=flt.unit_id)
    if flt.category_id:
        targets = targets.filter(subject__grading_category_id=flt.category_id)
    return page_together(targets, paging, lambda chunk: _result_rows(survey, chunk))


class QuestionFilter(Schema):
    subject_id: int | None = id_param("只统计这个考核对象的答卷")


@router.get(
    "/surveys/{survey_id}/questions",
    response={200: QuestionResultPage, **READ_ERRORS},
    summary="满意度调查各题的选项分布（人数与占比；意见建议类文字题不提供）",
)
def survey_questions(
    request, paging: Query[Paging], flt: Query[QuestionFilter], survey_id: int = pk()
):
    survey = selectors.access_survey(request.user, survey_id)
    target_ids = None
    if flt.subject_id:
        target_ids = list(
            selectors.result_targets(survey)
            .filter(subject_id=flt.subject_id)
            .values_list("pk", flat=True)
        )
    questions = selectors.questions_of(survey.questionnaire)
    rows = reports.question_distributions(survey, questions, target_ids)
    return page(
        rows,
        paging,
        lambda d: {
            "question_id": d["question"].pk,
            "text": d["question"].text,
            "kind": d["question"].kind,
            "options": [
                {"label": label, "points": dec(points), "count": n, "percent": dec(pct)}
                for label, points, n, pct in d["rows"]
            ],
        },
    )
