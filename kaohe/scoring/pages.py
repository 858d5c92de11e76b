"""Rendered bodies of the ranking and trace pages, cached.

Both pages are read far more often than results change. A body is cached under everything it
shows: the results' computation time (`results_stamp`), the scheme's state, the language, and
the viewer's access — the exact subjects the viewer may see for the ranking (never one unit's
table for another), the viewer's role flags for the trace. The trace's key also names the
subject's scores and the scheme's indicators, which change without a recompute (a stale
scheme shows its trace from the scores as they are).
"""

from django.db.models import OuterRef
from django.template.loader import render_to_string
from django.utils.translation import get_language

from kaohe.common.cached import (
    CSRF_SLOT,
    cached_part,
    latest_and_count,
    part_key,
    stamp_row,
)
from kaohe.schemes import access
from kaohe.schemes.models import Indicator, Scheme, ScoreEntry, Subject

from .models import SubjectResult
from .selectors import _results_scope, _tables, results_stamp, subject_trace


def results_body_html(*, user, scheme: Scheme, category_id: int | None) -> str:
    """The ranking page below the tabs: header, category filter, notices, the tables."""
    results, scope = _results_scope(user, scheme, category_id)
    can_view_all = scope == "all"
    manage = access.can_manage_scheme(user, scheme)
    # Weights and component names change only with `Scheme.mark_results_stale`, which moves
    # the scheme's updated_at: the key names them without reading them.
    parts = (scheme.pk, scheme.status, scheme.updated_at, category_id, scope, manage)
    parts += (get_language(),)
    if results is not None:
        parts += (results_stamp(scheme),)

    def render() -> str:
        components = list(scheme.components.all())
        context = {"components": components, "can_view_all": can_view_all}
        return render_to_string(
            "scoring/_results_body.html",
            {
                **context,
                "scheme": scheme,
                "tables": _tables(scheme, results) if results is not None else [],
                "weight_total": sum(c.weight for c in components),
                "manage": manage,
                "published": scheme.results_published,
                "categories": list(scheme.grading_categories.values_list("pk", "name")),
                "category": category_id,
                "csrf_token": CSRF_SLOT,
            },
        )

    return cached_part(part_key("results", parts), render)


def trace_stamp(subject) -> str:
    """One query naming what a trace shows besides the subject itself: the scheme's results,
    the subject's scores, the scheme's indicators, and the scheme's row (its `updated_at` moves
    with every rule change, weights included: `Scheme.mark_results_stale`)."""
    row = stamp_row("scoring.trace", _trace_stamp_query, subject.pk)
    return "/".join(str(v) for v in row)


def _trace_stamp_query(subject_pk: int):
    results = SubjectResult.objects.filter(scheme=OuterRef("scheme"))
    entries = ScoreEntry.objects.filter(subject=OuterRef("pk"))
    indicators = Indicator.objects.filter(scheme=OuterRef("scheme"))
    return (
        Subject.objects.filter(pk=subject_pk)
        .annotate(
            **latest_and_count("r", results, "scheme", "computed_at"),
            **latest_and_count("e", entries, "subject"),
            **latest_and_count("i", indicators, "scheme"),
        )
        .values_list(
            "r_at",
            "r_n",
            "e_at",
            "e_n",
            "i_at",
            "i_n",
            "scheme__results_stale",
            "scheme__updated_at",
        )
    )


def trace_body_html(*, user, subject, can_score: bool) -> str:
    """The trace page below the tabs, cached per subject and per viewer's role flags."""
    scheme = subject.scheme
    office = access.can_manage_scheme(user, scheme)
    parts = (
        subject.pk,
        subject.updated_at,
        scheme.status,
        scheme.tie_break,
        get_language(),
        can_score,
        office,
        trace_stamp(subject),
    )
    return cached_part(
        part_key("trace", parts),
        lambda: render_to_string(
            "scoring/_trace_body.html",
            {
                "trace": subject_trace(subject=subject),
                "subject": subject,
                "scheme": scheme,
                "can_score": can_score,
                "office": office,
            },
        ),
    )
