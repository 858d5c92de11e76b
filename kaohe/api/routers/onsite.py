"""On-site records: deductions of a subject, draws of a scheme, one draw and its verification."""

from ninja import Query, Router

from kaohe.onsite.selectors import (
    access_draw,
    access_onsite_scheme,
    access_onsite_subject,
    scheme_draws,
    visible_deductions,
)
from kaohe.onsite.services.draws import draw_selected, draw_verify

from ..schemas import DeductionPage, DrawOut, DrawPage, VerifyOut
from .common import READ_ERRORS, Paging, page, pk

router = Router(tags=["实地考核"])


def draw_out(d) -> dict:
    return {
        "id": d.pk,
        "subject_id": d.subject_id,
        "title": d.title,
        "preset": d.preset,
        "status": d.status,
        "seed": d.seed,
        "digest": d.digest,
        "drawn_at": d.drawn_at,
        "selected": draw_selected(d),
    }


@router.get(
    "/subjects/{subject_id}/deductions",
    response={200: DeductionPage, **READ_ERRORS},
    summary="扣分记录",
)
def deduction_list(request, paging: Query[Paging], subject_id: int = pk()):
    subject = access_onsite_subject(request.user, subject_id)
    deductions = visible_deductions(request.user, subject).order_by("pk")
    return page(
        deductions,
        paging,
        lambda d: {
            "id": d.pk,
            "subject_id": d.subject_id,
            "indicator_id": d.indicator_id,
            "indicator_code": d.indicator.code,
            "points": str(d.points),
            "reason": d.reason,
            "found_on": d.found_on,
            "withdrawn": d.withdrawn,
        },
    )


@router.get(
    "/schemes/{scheme_id}/draws", response={200: DrawPage, **READ_ERRORS}, summary="随机抽取记录"
)
def draw_list(request, paging: Query[Paging], scheme_id: int = pk()):
    scheme = access_onsite_scheme(request.user, scheme_id)
    return page(scheme_draws(request.user, scheme), paging, draw_out)


@router.get("/draws/{draw_id}", response={200: DrawOut, **READ_ERRORS}, summary="一次随机抽取")
def draw_get(request, draw_id: int = pk()):
    return draw_out(access_draw(request.user, draw_id))


@router.get(
    "/draws/{draw_id}/verify",
    response={200: VerifyOut, **READ_ERRORS},
    summary="核验随机抽取（按记录的名单、规则和种子重新计算并比对）",
)
def draw_check(request, draw_id: int = pk()):
    draw = access_draw(request.user, draw_id)
    report = draw_verify(draw)
    return {
        "draw_id": draw.pk,
        "ok": report.ok,
        "digest": report.digest,
        "checks": [{"check": text, "ok": ok} for text, ok in report.checks],
    }
