"""Results per grading category and the trace of one subject (kaohe.scoring.selectors):
the office sees all, teams their subjects, units their own row once results are published."""

from ninja import Query, Router, Schema

from kaohe.schemes import access
from kaohe.scoring import engine
from kaohe.scoring.selectors import (
    access_trace,
    results_rows,
    subject_trace,
    with_component_scores,
)
from kaohe.scoring.services import results_ensure_fresh

from ..schemas import ResultPage, TraceOut
from .common import READ_ERRORS, Paging, dec, id_param, page, pk

router = Router(tags=["考核结果"])


class ResultFilter(Schema):
    category_id: int | None = id_param("评定类别")
    unit_id: int | None = id_param("单位")


@router.get(
    "/schemes/{scheme_id}/results",
    response={200: ResultPage, **READ_ERRORS},
    summary="考核结果（按评定类别分组排名）",
)
def result_list(request, paging: Query[Paging], flt: Query[ResultFilter], scheme_id: int = pk()):
    scheme = access.access_scheme(request.user, scheme_id)
    if access.can_view_all_subjects(request.user, scheme):
        results_ensure_fresh(scheme=scheme, actor=request.user)
    codes = list(scheme.components.order_by("order").values_list("code", flat=True))
    rows = results_rows(user=request.user, scheme=scheme, category_id=flt.category_id)
    if flt.unit_id:
        rows = rows.filter(subject__unit_id=flt.unit_id)

    def convert(r) -> dict:
        r = with_component_scores(r)
        return {
            "subject_id": r.subject_id,
            "unit": r.subject.unit.name,
            "grading_category_id": r.grading_category_id,
            "grading_category": r.grading_category.name,
            "rank": r.rank,
            "total": str(r.total),
            "grade": r.grade,
            "vetoed": r.vetoed,
            "bonus": str(r.bonus),
            "penalty": str(r.penalty),
            "components": [
                {"code": code, "score": str(score)}
                for code, score in zip(codes, r.component_scores, strict=False)
            ],
        }

    return page(rows, paging, convert)


def _line(line) -> dict:
    ind, entry = line.indicator, line.entry
    return {
        "indicator_id": ind.pk,
        "code": ind.code,
        "name": ind.name,
        "method": ind.method,
        "applies": line.applies,
        "max_score": dec(ind.max_score),
        "value": dec(entry.value) if entry else None,
        "score": dec(line.score),
        "version": entry.version if entry else None,
        "entered_by": entry.entered_by.get_username() if entry and entry.entered_by else None,
        "source": entry.source if entry else None,
    }


@router.get(
    "/subjects/{subject_id}/trace",
    response={200: TraceOut, **READ_ERRORS},
    summary="一个考核对象的计分过程（末级指标 → 组成部分 → 总分 → 名次 → 等次）",
)
def trace(request, subject_id: int = pk()):
    subject = access_trace(request.user, subject_id)
    if access.can_view_all_subjects(request.user, subject.scheme):
        results_ensure_fresh(scheme=subject.scheme, actor=request.user)
    t = subject_trace(subject=subject)
    return {
        "subject_id": subject.pk,
        "unit": subject.unit.name,
        "total": str(t.score.total),
        "exact_total": str(t.score.exact_total),
        "bonus": str(engine.round_total(t.score.bonus)),
        "penalty": str(engine.round_total(t.score.penalty)),
        "rank": t.result.rank if t.result else None,
        "grade": t.result.grade if t.result else None,
        "stale": t.stale,
        "components": [
            {
                "code": c.component.code,
                "name": c.component.name,
                "weight": str(c.component.weight),
                "raw": str(c.raw),
                "maximum": str(c.maximum),
                "score": str(c.score),
                "weighted": str(c.weighted),
                "lines": [_line(line) for line in c.lines],
            }
            for c in t.components
        ],
        "extras": [_line(line) for line in t.extras],
    }
