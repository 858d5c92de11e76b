"""Legal-knowledge test results (kaohe.exams): per sitting (a subject's test) and per examinee,
for whom the exams pages show them (the scheme's office; the team visiting the subject)."""

from typing import Literal

from ninja import Query, Router, Schema
from pydantic import Field

from kaohe.exams import selectors
from kaohe.exams.marking import q2
from kaohe.exams.reports import person_results, unit_summary

from ..schemas.feedback import ExamineePage, ExamResultPage
from .common import READ_ERRORS, Paging, dec, id_param, page, pk

router = Router(tags=["能力测试"])


class ExamResultFilter(Schema):
    subject_id: int | None = id_param("考核对象")
    unit_id: int | None = id_param("单位")
    indicator_id: int | None = id_param("指标")
    status: Literal["prepared", "drawn", "open", "closed", "marked"] | None = Field(
        None, description="场次状态（已作废的场次不列出）"
    )


def result_out(sitting) -> dict:
    summary = unit_summary(sitting)
    return {
        "sitting_id": sitting.pk,
        "subject_id": sitting.subject_id,
        "unit": sitting.subject.unit.name,
        "indicator_id": sitting.exam.indicator_id,
        "indicator_code": sitting.exam.indicator.code,
        "exam": sitting.exam.title,
        "mode": sitting.mode,
        "status": sitting.status,
        "full_marks": str(summary["full"]),
        "people": summary["people"],
        "sat": summary["sat"],
        "average": str(summary["average"]),
        "average_percent": str(summary["average_percent"]),
        "pass_rate": str(summary["pass_rate"]),
        "unit_formula": sitting.exam.unit_formula,
        "result_percent": dec(q2(sitting.result_percent))
        if sitting.result_percent is not None
        else None,
    }


@router.get(
    "/schemes/{scheme_id}/exam-results",
    response={200: ExamResultPage, **READ_ERRORS},
    summary="能力测试成绩（每个考核对象每项测试一行：人数、平均分、合格率、单位结果）",
)
def exam_result_list(
    request, paging: Query[Paging], flt: Query[ExamResultFilter], scheme_id: int = pk()
):
    scheme = selectors.access_exam_scheme(request.user, scheme_id)
    sittings = selectors.result_sittings(request.user, scheme)
    if flt.subject_id:
        sittings = sittings.filter(subject_id=flt.subject_id)
    if flt.unit_id:
        sittings = sittings.filter(subject__unit_id=flt.unit_id)
    if flt.indicator_id:
        sittings = sittings.filter(exam__indicator_id=flt.indicator_id)
    if flt.status:
        sittings = sittings.filter(status=flt.status)
    return page(
        sittings.order_by("subject__order", "exam__indicator__code", "pk"), paging, result_out
    )


@router.get(
    "/sittings/{sitting_id}/examinees",
    response={200: ExamineePage, **READ_ERRORS},
    summary="一个考试场次的个人成绩（序号、姓名、类别、状态、得分、得分率、是否合格）",
)
def examinee_list(request, paging: Query[Paging], sitting_id: int = pk()):
    sitting = selectors.access_sitting(request.user, sitting_id)
    rows = person_results(sitting)

    def convert(row) -> dict:
        e = row["examinee"]
        return {
            "id": e.pk,
            "seat": e.seat,
            "name": e.name,
            "stratum": e.stratum,
            "status": e.status,
            "score": dec(e.score),
            "percent": str(row["percent"]),
            "passed": row["passed"],
            "leave_count": e.leave_count,
            "submitted_at": e.submitted_at,
            "submit_reason": e.submit_reason,
        }

    return page(rows, paging, convert)
