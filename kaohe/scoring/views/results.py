"""Results pages: ranking tables per grading category and the trace of one subject."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from kaohe.background.services import enqueue, run_of
from kaohe.common.cached import with_csrf
from kaohe.schemes import access

from ..background import RECOMPUTE_REF, results_recompute_task
from ..pages import results_body_html, trace_body_html
from ..selectors import access_trace
from ..services import results_ensure_fresh


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
    body = with_csrf(body, request)  # cached (pages.py), with this request's CSRF field
    run = run_of(request.user, request.GET.get("run"), RECOMPUTE_REF.format(scheme.pk))
    return render(
        request, "scoring/results.html", {"scheme": scheme, "body_html": body, "run": run}
    )


@login_required
@require_POST
def recompute(request, scheme_pk):
    """Queue a full recompute (minutes at province scale); the ranking shows its progress."""
    scheme = access.access_scheme(request.user, scheme_pk, manage=True)
    run = enqueue(
        results_recompute_task,
        scheme.pk,
        actor_id=request.user.pk,
        reason="考核办手动重算",
        ref=RECOMPUTE_REF.format(scheme.pk),
        requested_by=request.user,
    )
    return redirect(f"{reverse('scoring:results', args=[scheme.pk])}?run={run.pk}")


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
