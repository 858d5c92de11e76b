"""Subject pages: the enrolled units of a scheme, enrol and withdraw."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.translation import get_language, gettext
from django.views.decorators.http import require_POST

from kaohe.common.cached import (
    CSRF_SLOT,
    cached_part,
    part_key,
    stamp_row,
    with_csrf,
)
from kaohe.orgs.models import Unit
from kaohe.schemes import access

from .. import services
from ..forms import (
    EnrolForm,
)
from ..models import Scheme, Subject
from .common import _error_text

# --- subjects ---------------------------------------------------------------------------


@login_required
def subject_list(request, pk):
    scheme = access.access_scheme(request.user, pk)
    manage = access.can_manage_scheme(request.user, scheme)
    form = None
    if request.method == "POST":
        if not manage:
            raise Http404
        form = EnrolForm(request.POST, candidates=_candidates(scheme))
        if form.is_valid():
            errors = []
            count = 0
            for unit in form.cleaned_data["units"]:
                try:
                    services.subject_enrol(scheme=scheme, unit=unit, actor=request.user)
                    count += 1
                except ValidationError as error:
                    errors.append(_error_text(error))
            if count:
                messages.success(
                    request, (gettext("已纳入 %(count)s 个考核对象。") % {"count": count})
                )
            for error in errors:
                messages.error(request, error)
            return redirect("schemes:subjects", scheme.pk)
    table = _subject_table(request.user, scheme, manage)
    # Whether any unit is left to enrol: one compiled query; the form is built only then.
    can_enrol = manage and bool(stamp_row("schemes.enrolable", _enrolable, pk)[0])
    if can_enrol and form is None:
        form = EnrolForm(candidates=_candidates(scheme))
    context = {
        "scheme": scheme,
        "form": form,
        "table_html": with_csrf(table, request),
        "can_enrol": can_enrol,
    }
    return render(request, "schemes/subject_list.html", context)


def _candidates(scheme):
    """Units under the owner unit, with a category, not yet subjects (what the form lists)."""
    return (
        Unit.objects.filter(path__startswith=scheme.owner_unit.path, category__isnull=False)
        .exclude(pk__in=scheme.subjects.values("unit"))
        .select_related("category")
    )


def _enrolable(scheme_pk: int):
    """Whether a unit under the owner unit, with a category, is not yet a subject."""
    enrolled = Subject.objects.filter(scheme=OuterRef(OuterRef("pk"))).values("unit")
    candidates = Unit.objects.filter(
        path__startswith=OuterRef("owner_unit__path"), category__isnull=False
    ).exclude(pk__in=enrolled)
    return Scheme.objects.filter(pk=scheme_pk).annotate(any=Exists(candidates)).values_list("any")


def _subject_table(user, scheme, manage: bool) -> str:
    """The subject table, cached on the scheme's subjects (one stamp query) and on exactly
    which subjects and links this viewer gets."""
    can_score = access.can_score(user, scheme)
    scope = "all" if manage else ",".join(map(str, access.visible_subject_ids(user, scheme)))
    stamp = access.visibility_stamp(scheme)
    parts = (scheme.pk, scheme.status, get_language(), manage, can_score, scope, *stamp)

    def render_table() -> str:
        subjects = list(access.visible_subjects(user, scheme))
        return render_to_string(
            "schemes/_subject_table.html",
            {
                "scheme": scheme,
                "subjects": subjects,
                "traceable": _traceable(user, scheme, subjects, manage),
                "manage": manage,
                "can_score": can_score,
                "csrf_token": CSRF_SLOT,
            },
        )

    return cached_part(part_key("subjects", parts), render_table)


def _traceable(user, scheme, subjects, manage: bool) -> set[int]:
    """A "得分明细" link only where the trace page opens for this user (the same rule)."""
    if scheme.results_published or manage:
        return {s.pk for s in subjects}
    if access.can_score(user, scheme):
        return set(
            Subject.objects.filter(access.team_subject_q(user), scheme=scheme).values_list(
                "pk", flat=True
            )
        )
    return set()


@login_required
@require_POST
def subject_withdraw(request, pk, subject_pk):
    scheme = access.access_scheme(request.user, pk, manage=True)
    subject = get_object_or_404(Subject, pk=subject_pk, scheme=scheme)
    try:
        services.subject_withdraw(subject=subject, actor=request.user)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(
            request, (gettext("已将“%(unit)s”移出考核对象。") % {"unit": subject.unit})
        )
    return redirect("schemes:subjects", scheme.pk)
