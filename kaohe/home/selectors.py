"""The home page's to-do list per role, and search; every read starts from what the user may see.

Office: submissions to review, pending objections, overdue tasks, visits this week.
Unit: tasks due soon or overdue, returned submissions, an open objection window.
Team: today's visits, draws still to run.
"""

from dataclasses import dataclass, field
from datetime import timedelta

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kaohe.accounts.choices import TEAM_ROLES, Role
from kaohe.onsite.models import Draw, Visit
from kaohe.publishing.models import Objection
from kaohe.schemes import access
from kaohe.schemes.choices import SchemeStatus
from kaohe.schemes.models import Indicator, Subject
from kaohe.tasks.choices import AWAITING_REVIEW, TaskStatus
from kaohe.tasks.models import Task

SOON_DAYS = 14
SHOW = 8


@dataclass
class Todo:
    text: str
    url: str
    count: int = 0
    urgent: bool = False


@dataclass
class Section:
    title: str
    items: list = field(default_factory=list)


def _managed(user):
    return [
        s
        for s in access.visible_schemes(user).select_related("owner_unit")
        if access.can_manage_scheme(user, s)
    ]


def office_todo(user, today) -> Section | None:
    schemes = _managed(user)
    if not schemes:
        return None
    section = Section(_("考核办待办"))
    week_end = today + timedelta(days=6 - today.weekday())
    for scheme in schemes:
        tasks = Task.objects.filter(scheme=scheme)
        board = reverse("tasks:board", args=[scheme.pk])
        review = tasks.filter(status__in=AWAITING_REVIEW).count()
        late = tasks.overdue(today).count()
        pending = Objection.objects.filter(scheme=scheme, status="pending").count()
        visits = Visit.objects.filter(
            team__scheme=scheme, date__gte=today, date__lte=week_end
        ).count()
        name = scheme.name
        if review:
            section.items.append(
                Todo(
                    _("%(s)s：%(n)d 项材料待审核") % {"s": name, "n": review},
                    f"{board}?status=submitted",
                    review,
                )
            )
        if pending:
            section.items.append(
                Todo(
                    _("%(s)s：%(n)d 件复核申请待处理") % {"s": name, "n": pending},
                    reverse("publishing:overview", args=[scheme.pk]),
                    pending,
                    True,
                )
            )
        if late:
            section.items.append(
                Todo(
                    _("%(s)s：%(n)d 项任务已逾期") % {"s": name, "n": late},
                    f"{board}?status=overdue",
                    late,
                    True,
                )
            )
        if visits:
            section.items.append(
                Todo(
                    _("%(s)s：本周 %(n)d 场实地考核") % {"s": name, "n": visits},
                    reverse("onsite:calendar", args=[scheme.pk]),
                    visits,
                )
            )
    return section


def unit_todo(user, today) -> Section | None:
    if not access.has_role_anywhere(user, Role.UNIT_USER):
        return None
    section = Section(_("本单位待办"))
    mine = Task.objects.filter(access.unit_q(user, Role.UNIT_USER, prefix="unit__")).select_related(
        "indicator"
    )
    returned = mine.filter(status=TaskStatus.RETURNED).order_by("deadline")
    for task in returned[:SHOW]:
        section.items.append(
            Todo(
                _("已退回，请修改后重新提交：%(code)s %(name)s")
                % {"code": task.indicator.code, "name": task.indicator.name},
                reverse("tasks:detail", args=[task.pk]),
                urgent=True,
            )
        )
    due = (
        mine.with_state(today)
        .filter(status__in=(TaskStatus.NOT_STARTED, TaskStatus.DRAFT))
        .filter(deadline__lte=today + timedelta(days=SOON_DAYS))
        .order_by("deadline")
    )
    for task in due[:SHOW]:
        days = (task.deadline - today).days
        when = _("已逾期 %(n)d 天") % {"n": -days} if days < 0 else _("还剩 %(n)d 天") % {"n": days}
        section.items.append(
            Todo(
                (
                    _("%(code)s %(name)s（%(when)s）")
                    % {"code": task.indicator.code, "name": task.indicator.name, "when": when}
                ),
                reverse("tasks:detail", args=[task.pk]),
                urgent=days < 0,
            )
        )
    subjects = Subject.objects.filter(
        access.unit_q(user, Role.UNIT_USER, prefix="unit__"),
        scheme__status=SchemeStatus.PUBLICITY,
        scheme__notice_end__gte=today,
    ).select_related("scheme")
    for subject in subjects:
        section.items.append(
            Todo(
                _("%(s)s 结果公示中，至 %(d)s 可提出复核申请")
                % {"s": subject.scheme.name, "d": subject.scheme.notice_end},
                reverse("publishing:my", args=[subject.scheme_id]),
            )
        )
    return section


def team_todo(user, today) -> Section | None:
    if not access.has_role_anywhere(user, TEAM_ROLES):
        return None
    section = Section(_("考核组待办"))
    mine = Q(team__leader=user) | Q(team__members=user)
    for visit in Visit.objects.filter(mine, date=today).select_related("subject__unit").distinct():
        section.items.append(
            Todo(
                _("今天 %(slot)s 实地考核：%(unit)s")
                % {"slot": visit.time_slot, "unit": visit.subject.unit.name},
                reverse("onsite:subject", args=[visit.subject_id]),
                urgent=True,
            )
        )
    draws = Draw.objects.filter(
        access.team_subject_q(user, prefix="subject__"), status__in=("prepared", "seeded")
    ).select_related("subject__unit")
    for draw in draws[:SHOW]:
        section.items.append(
            Todo(
                _("待抽取：%(unit)s · %(title)s")
                % {"unit": draw.subject.unit.name, "title": draw.title},
                reverse("onsite:draw", args=[draw.pk]),
            )
        )
    return section


def todo(user) -> list[Section]:
    today = timezone.localdate()
    found = [office_todo(user, today), unit_todo(user, today), team_todo(user, today)]
    return [s for s in found if s is not None]


def search(user, q: str, limit: int = 20) -> dict:
    """Units, subjects, indicators and tasks whose name contains q, among what the user sees."""
    q = q.strip()[:50]
    if not q:
        return {}
    schemes = list(access.visible_schemes(user))
    managed = [s for s in schemes if access.can_manage_scheme(user, s)]
    subjects = []
    for scheme in schemes:
        subjects += [s for s in access.visible_subjects(user, scheme) if q in s.unit.name]
    indicators = (
        Indicator.objects.filter(scheme__in=schemes)
        .filter(Q(name__contains=q) | Q(code__iexact=q))
        .select_related("scheme")
    )
    tasks = (
        Task.objects.filter(
            Q(scheme__in=managed) | access.unit_q(user, Role.UNIT_USER, prefix="unit__")
        )
        .filter(Q(indicator__name__contains=q) | Q(unit__name__contains=q))
        .select_related("indicator", "unit")
    )
    return {
        "subjects": subjects[:limit],
        "indicators": list(indicators[:limit]),
        "tasks": list(tasks.distinct()[:limit]),
    }
