"""On-site home, teams, subject assignment, schedule (.docx) and calendar."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kaohe.accounts.choices import TEAM_ROLES, Role
from kaohe.common.decimals import parse_id, parse_ids
from kaohe.common.excel import attachment
from kaohe.common.uploads import DOCX_TYPE

from .. import selectors
from ..documents import schedule_docx
from ..models import Visit
from ..services import teams as team_services
from .common import flash_error, parse_date, require


@login_required
def index(request):
    schemes = list(selectors.onsite_schemes(request.user))
    if len(schemes) == 1:
        return redirect("onsite:scheme", schemes[0].pk)
    return render(request, "onsite/index.html", {"schemes": schemes})


def _team_candidates(scheme):
    """Active users with a team or office role covering the scheme's owning unit."""
    owner = scheme.owner_unit
    parts = [p for p in owner.path.strip("/").split("/") if p]
    ancestors = ["/" + "/".join(parts[:i]) + "/" for i in range(1, len(parts) + 1)]
    roles = [*TEAM_ROLES, Role.OFFICE_ADMIN]
    covering = Q(role_assignments__role__in=roles) & (
        Q(role_assignments__unit=owner)
        | Q(role_assignments__include_subtree=True, role_assignments__unit__path__in=ancestors)
    )
    return get_user_model().objects.filter(covering, is_active=True).distinct().order_by("username")


@login_required
def scheme_home(request, scheme_id):
    scheme = selectors.access_onsite_scheme(request.user, scheme_id)
    manage = selectors.can_manage(request.user, scheme)
    subjects = selectors.onsite_subjects(request.user, scheme)
    context = {
        "scheme": scheme,
        "manage": manage,
        "subjects": subjects,
        "teams": scheme.teams.prefetch_related("members").select_related("leader")
        if manage
        else selectors.user_teams(request.user, scheme).select_related("leader"),
        "candidates": _team_candidates(scheme) if manage else [],
    }
    return render(request, "onsite/scheme.html", context)


@login_required
@require_POST
def team_create(request, scheme_id):
    scheme = selectors.access_onsite_scheme(request.user, scheme_id)
    require(selectors.can_manage(request.user, scheme))
    users = get_user_model().objects.filter(is_active=True)
    leader = users.filter(pk=parse_id(request.POST.get("leader")) or 0).first()
    members = list(users.filter(pk__in=parse_ids(request.POST.getlist("members"))))
    try:
        if leader is None:
            raise ValidationError(_("请选择组长。"))
        team = team_services.team_create(
            scheme=scheme,
            name=request.POST.get("name", ""),
            leader=leader,
            members=members,
            actor=request.user,
            order=scheme.teams.count() + 1,
        )
    except ValidationError as exc:
        flash_error(request, exc)
        return redirect("onsite:scheme", scheme.pk)
    messages.success(request, _("已创建%(name)s。") % {"name": team.name})
    return redirect("onsite:team", team.pk)


@login_required
def team_detail(request, pk):
    team = selectors.access_team(request.user, pk)
    scheme = team.scheme
    manage = selectors.can_manage(request.user, scheme)
    assigned = {v.subject_id for v in Visit.objects.filter(team__scheme=scheme)}
    context = {
        "team": team,
        "scheme": scheme,
        "manage": manage,
        "can_schedule": manage or team.leader_id == request.user.pk,
        "visits": selectors.team_schedule(scheme, [team]),
        "unassigned": [s for s in scheme.subjects.select_related("unit") if s.pk not in assigned]
        if manage
        else [],
        "candidates": _team_candidates(scheme) if manage else [],
        "member_ids": {u.pk for u in team.members.all()},
    }
    return render(request, "onsite/team.html", context)


@login_required
@require_POST
def team_update(request, pk):
    team = selectors.access_team(request.user, pk, manage=True)
    users = get_user_model().objects.filter(is_active=True)
    leader = users.filter(pk=parse_id(request.POST.get("leader")) or 0).first() or team.leader
    try:
        team_services.team_update(
            team=team,
            leader=leader,
            members=list(users.filter(pk__in=parse_ids(request.POST.getlist("members")))),
            actor=request.user,
        )
        messages.success(request, _("考核组成员已更新。"))
    except ValidationError as exc:
        flash_error(request, exc)
    return redirect("onsite:team", team.pk)


@login_required
@require_POST
def team_assign(request, pk):
    team = selectors.access_team(request.user, pk, manage=True)
    subjects = list(team.scheme.subjects.filter(pk__in=parse_ids(request.POST.getlist("subjects"))))
    try:
        team_services.visit_assign(team=team, subjects=subjects, actor=request.user)
        messages.success(request, _("已分配 %(count)s 个考核对象。") % {"count": len(subjects)})
    except ValidationError as exc:
        flash_error(request, exc)
    return redirect("onsite:team", team.pk)


@login_required
@require_POST
def visit_schedule(request, pk):
    visit = Visit.objects.select_related("team__scheme").filter(pk=pk).first()
    require(visit is not None, _("考核安排"))
    team = selectors.access_team(request.user, visit.team_id)
    require(
        selectors.can_manage(request.user, team.scheme) or team.leader_id == request.user.pk,
        _("考核安排"),
    )
    try:
        team_services.visit_schedule(
            visit=visit,
            day=parse_date(request.POST.get("date"), _("考核日期")),
            time_slot=request.POST.get("time_slot", ""),
            place=request.POST.get("place", ""),
            note=request.POST.get("note", ""),
            actor=request.user,
        )
        messages.success(request, _("已保存“%(subject)s”的考核安排。") % {"subject": visit.subject})
    except ValidationError as exc:
        flash_error(request, exc)
    return redirect("onsite:team", team.pk)


def _visible_visits(user, scheme):
    if selectors.can_manage(user, scheme):
        return selectors.team_schedule(scheme)
    return selectors.team_schedule(scheme, list(selectors.user_teams(user, scheme)))


@login_required
def schedule_download(request, scheme_id):
    scheme = selectors.access_onsite_scheme(request.user, scheme_id)
    visits = list(_visible_visits(request.user, scheme))
    require(visits or selectors.can_manage(request.user, scheme), _("日程"))
    content = schedule_docx(scheme, visits)
    return attachment(content, f"{scheme.name}实地考核日程.docx", DOCX_TYPE)


@login_required
def calendar(request, scheme_id):
    """One card per day of the on-site period (a list on phones, a grid on wide screens)."""
    scheme = selectors.access_onsite_scheme(request.user, scheme_id)
    visits = list(_visible_visits(request.user, scheme))
    days = []
    if scheme.onsite_start and scheme.onsite_end:
        day = scheme.onsite_start
        while day <= scheme.onsite_end:
            days.append({"date": day, "visits": [v for v in visits if v.date == day]})
            day += timedelta(days=1)
    undated = [v for v in visits if v.date is None]
    return render(
        request,
        "onsite/calendar.html",
        {"scheme": scheme, "days": days, "undated": undated, "visits": visits},
    )
