"""Results pages: ranking tables per grading category and the trace of one subject."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from kaohe.schemes import access

from ..selectors import access_trace, results_tables_html, subject_trace
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
    can_view_all = access.can_view_all_subjects(request.user, scheme)
    if can_view_all:
        results_ensure_fresh(scheme=scheme, actor=request.user)
    category = request.GET.get("category")
    components = list(scheme.components.all())
    tables_html = results_tables_html(
        user=request.user,
        scheme=scheme,
        category_id=_int_or_none(category),
        context={"components": components, "can_view_all": can_view_all},
    )
    return render(
        request,
        "scoring/results.html",
        {
            "scheme": scheme,
            "tables_html": mark_safe(tables_html),  # noqa: S308 — our own rendered template
            "components": components,
            "weight_total": sum(c.weight for c in components),
            "can_view_all": can_view_all,
            "manage": access.can_manage_scheme(request.user, scheme),
            "published": scheme.results_published,
            "categories": scheme.grading_categories.all(),
            "category": category,
        },
    )


@login_required
@require_POST
def recompute(request, scheme_pk):
    scheme = access.access_scheme(request.user, scheme_pk, manage=True)
    count = results_recompute(scheme=scheme, actor=request.user, reason="考核办手动重算")
    messages.success(
        request, (gettext("已重新计算 %(count)s 个考核对象的成绩、名次和等次。") % {"count": count})
    )
    return redirect("scoring:results", scheme.pk)


@login_required
def trace(request, subject_pk):
    subject = access_trace(request.user, subject_pk)
    scheme = subject.scheme
    can_score = access.can_score_subject(request.user, subject)
    if access.can_view_all_subjects(request.user, scheme):
        results_ensure_fresh(scheme=scheme, actor=request.user)
    return render(
        request,
        "scoring/trace.html",
        {
            "trace": subject_trace(subject=subject),
            "subject": subject,
            "scheme": scheme,
            "can_score": can_score,
        },
    )
