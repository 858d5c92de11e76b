"""Teams, subject assignment and the visit schedule."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kaohe.audit.services import audit_record
from kaohe.common.models import no_control_characters
from kaohe.onsite import audit_actions
from kaohe.schemes import access

from ..models import Team, Visit


def _own_unit_conflict(user, subject) -> bool:
    """A user works in the subject's unit or below it (e.g. a county's department)."""
    unit = getattr(user, "unit", None)
    return unit is not None and unit.path.startswith(subject.unit.path)


def _check_people(scheme, people) -> None:
    for user in people:
        if not user.is_active:
            raise ValidationError(_("用户“%(user)s”已停用，不能加入考核组。") % {"user": user})
        if not access.can_join_team(user, scheme):
            raise ValidationError(
                _("用户“%(user)s”没有“%(owner_unit)s”的考核组角色，请先分配考核组组长/成员角色。")
                % {"user": user, "owner_unit": scheme.owner_unit}
            )


def _check_conflicts(team: Team, people, subjects) -> None:
    for subject in subjects:
        for user in people:
            if _own_unit_conflict(user, subject):
                raise ValidationError(
                    _("“%(user)s”是被考核单位“%(unit)s”的人员，不能考核本单位（应回避）。")
                    % {"user": user, "unit": subject.unit}
                )


@transaction.atomic
def team_create(
    *,
    scheme,
    name: str,
    leader,
    members=(),
    actor=None,
    order: int = 0,
    leader_rank: str = "",
) -> Team:
    name = name.strip()
    no_control_characters(name)  # before any query: PostgreSQL refuses NUL even in a lookup
    if not name:
        raise ValidationError(_("请填写考核组名称。"))
    if Team.objects.filter(scheme=scheme, name=name).exists():
        raise ValidationError(_("考核组“%(name)s”已存在。") % {"name": name})
    members = [m for m in members if m.pk != leader.pk]
    _check_people(scheme, [leader, *members])
    team = Team.objects.create(
        scheme=scheme, name=name, leader=leader, order=order, leader_rank=leader_rank.strip()
    )
    team.members.set(members)
    audit_record(
        action=audit_actions.ONSITE_TEAM_CREATE,
        actor=actor,
        obj=team,
        scheme_id=scheme.pk,
        after={"name": name, "leader": leader.username, "members": [m.username for m in members]},
    )
    return team


@transaction.atomic
def team_update(*, team: Team, leader, members, actor=None) -> Team:
    """Change leader and members; refused when someone would assess their own unit."""
    members = [m for m in members if m.pk != leader.pk]
    _check_people(team.scheme, [leader, *members])
    subjects = [v.subject for v in team.visits.select_related("subject__unit")]
    _check_conflicts(team, [leader, *members], subjects)
    before = {
        "leader": team.leader.username,
        "members": sorted(m.username for m in team.members.all()),
    }
    team.leader = leader
    team.save(update_fields=["leader", "updated_at"])
    team.members.set(members)
    audit_record(
        action=audit_actions.ONSITE_TEAM_UPDATE,
        actor=actor,
        obj=team,
        scheme_id=team.scheme_id,
        before=before,
        after={"leader": leader.username, "members": sorted(m.username for m in members)},
    )
    return team


@transaction.atomic
def visit_assign(*, team: Team, subjects, actor=None) -> list[Visit]:
    """Assign subjects to a team (moving them from another team if needed)."""
    subjects = list(subjects)
    for subject in subjects:
        if subject.scheme_id != team.scheme_id:
            raise ValidationError(_("“%(subject)s”不是本方案的考核对象。") % {"subject": subject})
    _check_conflicts(team, team.people(), subjects)
    visits = []
    for subject in subjects:
        visit = Visit.objects.filter(subject=subject).first()
        before = {"team": visit.team.name} if visit else None
        if visit is None:
            visit = Visit.objects.create(team=team, subject=subject)
        elif visit.team_id != team.pk:
            visit.team = team
            visit.save(update_fields=["team", "updated_at"])
        else:
            visits.append(visit)
            continue
        audit_record(
            action=audit_actions.ONSITE_VISIT_ASSIGN,
            actor=actor,
            obj=visit,
            scheme_id=team.scheme_id,
            before=before,
            after={"team": team.name, "subject": subject.unit.name},
        )
        visits.append(visit)
    return visits


@transaction.atomic
def visit_schedule(
    *,
    visit: Visit,
    day: date | None,
    time_slot: str = "",
    place: str = "",
    note: str = "",
    actor=None,
) -> Visit:
    """Set the visit's date (inside the scheme's on-site period), time and place."""
    scheme = visit.team.scheme
    if day is not None:
        start, end = scheme.onsite_start, scheme.onsite_end
        if start is None or end is None:
            raise ValidationError(_("方案尚未设置实地考核起止日期，请考核办先在方案中设置。"))
        if not start <= day <= end:
            raise ValidationError(
                _("考核日期 %(day)s 不在实地考核期间（%(start)s 至 %(end)s）内。")
                % {"day": f"{day:%Y-%m-%d}", "start": f"{start:%Y-%m-%d}", "end": f"{end:%Y-%m-%d}"}
            )
    before = {"date": visit.date, "time_slot": visit.time_slot, "place": visit.place}
    visit.date, visit.time_slot, visit.place, visit.note = (
        day,
        time_slot.strip()[:32],
        place.strip()[:128],
        note.strip()[:255],
    )
    visit.save()
    audit_record(
        action=audit_actions.ONSITE_VISIT_SCHEDULE,
        actor=actor,
        obj=visit,
        scheme_id=scheme.pk,
        before=before,
        after={"date": day, "time_slot": visit.time_slot, "place": visit.place},
    )
    return visit
