"""Results pages: ranking tables per grading category and the trace of one subject."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from kaohe.schemes import access

from ..pages import results_body_html, trace_body_html, with_csrf
from ..selectors import access_trace
from ..services import results_ensure_fresh, results_recompute


def _int_or_none(raw: str | None) -> int | None:
    """A query parameter as an id; anything else (including '²', which isdigit) is ignored."""
    try:
        value = int(raw) if raw else None
    except ValueError:
        return None
    return value if value is not None and 0 < value < 2**63 else None


@login_required
def results(request, scheme_pk):
    scheme = access.access_scheme(request.user, scheme_pk)
    if scheme.results_stale and access.can_view_all_subjects(request.user, scheme):
        results_ensure_fresh(scheme=scheme, actor=request.user)
    body = results_body_html(
        user=request.user, scheme=scheme, category_id=_int_or_none(request.GET.get("category"))
    )
    # Our own rendered template, cached (pages.py), with this request's CSRF field.
    body = mark_safe(with_csrf(body, request))  # noqa: S308
    return render(request, "scoring/results.html", {"scheme": scheme, "body_html": body})


@login_required
@require_POST
def recompute(request, scheme_pk):
    scheme = access.access_scheme(request.user, scheme_pk, manage=True)
    count = results_recompute(scheme=scheme, actor=request.user, reason="考核办手动重算")
    messages.success(request, f"已重新计算 {count} 个考核对象的成绩、名次和等次。")
    return redirect("scoring:results", scheme.pk)


@login_required
def trace(request, subject_pk):
    subject = access_trace(request.user, subject_pk)
    scheme = subject.scheme
    can_score = access.can_score_subject(request.user, subject)
    if scheme.results_stale and access.can_view_all_subjects(request.user, scheme):
        results_ensure_fresh(scheme=scheme, actor=request.user)
    body = trace_body_html(user=request.user, subject=subject, can_score=can_score)
    return render(
        request,
        "scoring/trace.html",
        {"subject": subject, "scheme": scheme, "body_html": mark_safe(body)},  # noqa: S308
    )
