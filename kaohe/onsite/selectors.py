"""Reads for on-site work, always given the user.

Who may do what (on top of kaohe.accounts.access):
- the scheme's office (can_manage_scheme) sees and works on every subject;
- a team's leader and members see and work on the subjects assigned to their team only;
- an assessed unit's user sees its own subject's schedule and finished draws, and its
  deductions only once results are published (scheme status frozen/publicity/final).
Everything else is the same 404 as "missing".
"""

from __future__ import annotations

from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext as _

from kaohe.accounts.choices import Role
from kaohe.schemes import access
from kaohe.schemes.models import Scheme, Subject

from .choices import DrawStatus
from .models import Deduction, Draw, Evidence, Team, Visit


def user_teams(user, scheme: Scheme):
    if not getattr(user, "is_authenticated", False):
        return Team.objects.none()
    return Team.objects.filter(scheme=scheme).filter(Q(leader=user) | Q(members=user)).distinct()


def can_manage(user, scheme: Scheme) -> bool:
    return access.can_manage_scheme(user, scheme)


def can_work_on(user, subject: Subject) -> bool:
    """Office of the scheme, or a member of the team the subject is assigned to."""
    if can_manage(user, subject.scheme):
        return True
    return Visit.objects.filter(subject=subject, team__in=user_teams(user, subject.scheme)).exists()


def workable_subject_ids(user, scheme: Scheme) -> set[int]:
    """The subjects `can_work_on` allows, in one query (lists must not ask per subject)."""
    subjects = Subject.objects.filter(scheme=scheme)
    if not can_manage(user, scheme):
        subjects = subjects.filter(visit__team__in=user_teams(user, scheme))
    return set(subjects.values_list("pk", flat=True))


def is_unit_user_of(user, subject: Subject) -> bool:
    return access.is_unit_of_subject(user, subject)


def onsite_schemes(user):
    """Schemes with on-site work for the user: managed, team member of, or enrolled in."""
    visible = access.visible_schemes(user).select_related("owner_unit")
    ids = [s.pk for s in visible if can_manage(user, s)]
    team_ids = Team.objects.filter(Q(leader=user) | Q(members=user)).values_list(
        "scheme_id", flat=True
    )
    unit_ids = Scheme.objects.filter(
        access.unit_q(user, Role.UNIT_USER, prefix="subjects__unit__")
    ).values_list("pk", flat=True)
    return Scheme.objects.filter(pk__in=[*ids, *team_ids, *unit_ids]).order_by("-year", "code")


def access_onsite_scheme(user, pk) -> Scheme:
    scheme = Scheme.objects.select_related("owner_unit").filter(pk=pk).first()
    if scheme is None or not onsite_schemes(user).filter(pk=scheme.pk).exists():
        raise Http404(_("考核方案不存在"))
    return scheme


def onsite_subjects(user, scheme: Scheme):
    qs = Subject.objects.filter(scheme=scheme).select_related(
        "unit", "grading_category", "visit__team"
    )
    if can_manage(user, scheme):
        return qs
    teams = list(user_teams(user, scheme))
    q = Q(visit__team__in=teams) | access.unit_q(user, Role.UNIT_USER, prefix="unit__")
    return qs.filter(q)


def access_onsite_subject(user, pk, *, work: bool = False) -> Subject:
    """work=True: office or the subject's team; otherwise also the subject's own unit."""
    subject = (
        Subject.objects.select_related("scheme__owner_unit", "unit", "grading_category")
        .filter(pk=pk)
        .first()
    )
    if subject is None:
        raise Http404(_("考核对象不存在"))
    allowed = can_work_on(user, subject) or (not work and is_unit_user_of(user, subject))
    if not allowed:
        raise Http404(_("考核对象不存在"))
    return subject


def access_team(user, pk, *, manage: bool = False) -> Team:
    team = Team.objects.select_related("scheme__owner_unit", "leader").filter(pk=pk).first()
    if team is None:
        raise Http404(_("考核组不存在"))
    if can_manage(user, team.scheme):
        return team
    if not manage and user_teams(user, team.scheme).filter(pk=team.pk).exists():
        return team
    raise Http404(_("考核组不存在"))


def access_draw(user, pk, *, work: bool = False) -> Draw:
    """The subject's unit sees its finished draws (fairness: anyone concerned can verify)."""
    draw = Draw.objects.select_related("scheme", "subject__unit", "drawn_by").filter(pk=pk).first()
    if draw is None:
        raise Http404(_("抽取记录不存在"))
    subject = draw.subject
    if can_work_on(user, subject):
        return draw
    if not work and draw.status == DrawStatus.DONE and is_unit_user_of(user, subject):
        return draw
    raise Http404(_("抽取记录不存在"))


def scheme_draws(user, scheme: Scheme) -> list[Draw]:
    """Every draw of the subjects the user may see, newest first: all of them for those who
    work on the subject, finished ones only for the subject's own unit."""
    subjects = onsite_subjects(user, scheme)
    work_ids = workable_subject_ids(user, scheme)
    draws = (
        Draw.objects.filter(scheme=scheme, subject__in=subjects)
        .select_related("subject__unit", "drawn_by")
        .order_by("-created_at", "-id")
    )
    return [d for d in draws if d.subject_id in work_ids or d.status == DrawStatus.DONE]


def visible_deductions(user, subject: Subject):
    qs = Deduction.objects.filter(subject=subject).select_related("indicator", "recorded_by")
    if can_work_on(user, subject):
        return qs
    if is_unit_user_of(user, subject) and subject.scheme.results_published:
        return qs.filter(withdrawn=False)
    return qs.none()


def access_evidence(user, pk) -> Evidence:
    evidence = (
        Evidence.objects.select_related("subject__scheme", "subject__unit", "deduction")
        .filter(pk=pk)
        .first()
    )
    if evidence is None:
        raise Http404(_("文件不存在"))
    subject = evidence.subject
    if can_work_on(user, subject):
        return evidence
    if (
        evidence.deduction_id
        and not evidence.deduction.withdrawn
        and is_unit_user_of(user, subject)
        and subject.scheme.results_published
    ):
        return evidence
    raise Http404(_("文件不存在"))


def team_schedule(scheme: Scheme, teams=None):
    """Visits in date order for the given teams (all when None)."""
    qs = Visit.objects.filter(team__scheme=scheme).select_related("team", "subject__unit")
    if teams is not None:
        qs = qs.filter(team__in=teams)
    return qs.order_by("date", "time_slot", "team__order", "subject__order")
