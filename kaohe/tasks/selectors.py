"""Reads for tasks, always given the user; `access_*` give one 404 for missing and not-yours."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Exists, OuterRef, Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext

from kaohe.accounts.choices import Role
from kaohe.schemes import access

from .choices import BOARD_COLUMNS, ExtensionStatus, TaskStatus
from .models import ExtensionRequest, FileVersion, Task, TaskFile, TaskTransition


def can_manage(user, task: Task) -> bool:
    """The office of the scheme's owner reviews tasks and decides extensions."""
    return access.can_manage_scheme(user, task.scheme)


def can_view(user, task: Task) -> bool:
    """The office; the unit itself; a team only for the subjects assigned to its visits."""
    return (
        access.can_manage_scheme(user, task.scheme)
        or access.is_unit_user_of(user, task.unit)
        or access.team_covers_unit(user, task.scheme, task.unit)
    )


def can_work_on(user, task: Task) -> bool:
    """The responsible unit's own users upload, nominate, submit and ask for more time."""
    return access.is_unit_user_of(user, task.unit)


def visible_tasks(user):
    """Tasks the user may see, as a queryset: the same rule as can_view."""
    qs = _task_qs()
    if getattr(user, "is_superuser", False) and getattr(user, "is_active", False):
        return qs
    return qs.filter(
        access.unit_q(user, Role.OFFICE_ADMIN, prefix="scheme__owner_unit__")
        | access.unit_q(user, access.TEAM_ROLES, prefix="scheme__owner_unit__")
        | access.unit_q(user, Role.UNIT_USER, prefix="unit__")
    )


def _task_qs():
    return Task.objects.select_related("scheme__owner_unit", "indicator", "unit")


def access_task(user, pk, *, manage: bool = False, work: bool = False) -> Task:
    task = _task_qs().filter(pk=pk).first()
    if task is None:
        raise Http404("任务不存在")
    if manage:
        allowed = can_manage(user, task)
    elif work:
        allowed = can_work_on(user, task)
    else:
        allowed = can_view(user, task)
    if not allowed:
        raise Http404("任务不存在")
    return task


def access_task_file(user, pk, *, work: bool = True) -> TaskFile:
    task_file = TaskFile.objects.filter(pk=pk, removed=False).first()
    if task_file is None:
        raise Http404("文件不存在")
    access_task(user, task_file.task_id, work=work)
    return task_file


def access_file_version(user, pk) -> FileVersion:
    """A stored file version, for download: only people who may see its task."""
    version = FileVersion.objects.select_related("task_file").filter(pk=pk).first()
    if version is None:
        raise Http404("文件不存在")
    access_task(user, version.task_file.task_id)
    return version


def access_extension(user, pk) -> ExtensionRequest:
    extension = ExtensionRequest.objects.filter(pk=pk).first()
    if extension is None:
        raise Http404("延期申请不存在")
    access_task(user, extension.task_id, manage=True)
    return extension


def days_left(deadline: date, today: date | None = None) -> int:
    return (deadline - (today or timezone.localdate())).days


def my_tasks(user, *, status: str = ""):
    """Tasks of the units the user works for, with a flag for a pending extension request."""
    if not access.has_role_anywhere(user, Role.UNIT_USER):
        return []  # no unit to work for: no query to build
    pending = ExtensionRequest.objects.filter(task=OuterRef("pk"), status=ExtensionStatus.PENDING)
    qs = (
        _task_qs()
        .filter(access.unit_q(user, Role.UNIT_USER, prefix="unit__"))
        .annotate(extension_pending=Exists(pending))
        .order_by("deadline", "indicator__code", "unit__path")
    )
    today = timezone.localdate()
    tasks = list(qs.with_state(today).in_state(status, today))
    for task in tasks:
        task.days_left = days_left(task.deadline, today)
        task.days_overdue = -task.days_left
    return tasks


def my_units(user) -> list[int] | None:
    """The units whose tasks "my tasks" lists, when they are exactly the units of the user's
    unit roles (None with a subtree assignment: the tasks of the units below it too)."""
    unit_grants = [g for g in access.grants(user) if g.role == Role.UNIT_USER]
    if any(g.include_subtree for g in unit_grants):
        return None
    return sorted({g.unit_id for g in unit_grants})


def unit_tasks_stamp(unit_ids: list[int]) -> str:
    """A cheap compiled query per unit naming everything its task list shows: its tasks (any
    change saves the task or adds a transition), extension requests, the tasks' indicators."""
    from kaohe.common.cached import stamp_row, stamp_text

    return stamp_text([stamp_row("tasks.unit", _unit_tasks_stamp_query, u) for u in unit_ids])


def _unit_tasks_stamp_query(unit_id: int):
    from django.db.models import Max

    from kaohe.common.cached import scalar_aggregate
    from kaohe.orgs.models import Unit

    tasks = Task.objects.filter(unit=OuterRef("pk"))
    extensions = ExtensionRequest.objects.filter(task__unit=OuterRef("pk"))
    return (
        Unit.objects.filter(pk=unit_id)
        .annotate(
            t_at=scalar_aggregate(tasks, "unit", Max("updated_at")),
            t_n=scalar_aggregate(tasks, "unit", Count("pk")),
            i_at=scalar_aggregate(tasks, "unit", Max("indicator__updated_at")),
            moves=scalar_aggregate(
                TaskTransition.objects.filter(task__unit=OuterRef("pk")), "task__unit", Max("pk")
            ),
            x_id=scalar_aggregate(extensions, "task__unit", Max("pk")),
            x_at=scalar_aggregate(extensions, "task__unit", Max("decided_at")),
        )
        .values_list("t_at", "t_n", "i_at", "moves", "x_id", "x_at")
    )


def task_detail(task: Task) -> dict:
    """Everything the task page shows, in a fixed number of queries."""
    files = list(
        task.files.filter(removed=False).prefetch_related("versions__uploaded_by").order_by("id")
    )
    submissions = list(
        task.submissions.select_related("submitted_by", "reviewed_by")
        .prefetch_related("versions")
        .order_by("-number")
    )
    return {
        "files": files,
        "submissions": submissions,
        "transitions": list(task.transitions.select_related("actor").order_by("at", "id")),
        "extensions": list(task.extensions.select_related("requested_by", "decided_by")),
        "nominees": list(task.nominees.select_related("person")),
        "days_left": days_left(task.deadline),
    }


def managed_schemes(user):
    if not access.is_office_anywhere(user):
        return []  # a unit's or a team's user manages none: no query to build
    return [
        s
        for s in access.visible_schemes(user).select_related("owner_unit")
        if access.can_manage_scheme(user, s)
    ]


# --- the progress board -------------------------------------------------------------------


@dataclass
class BoardRow:
    key: object
    label: str
    extra: str = ""
    counts: dict = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def cells(self) -> list[int]:
        return [self.counts.get(s, 0) for s in BOARD_COLUMNS]

    @property
    def done_percent(self) -> int:
        return (
            round(100 * self.counts.get(TaskStatus.ACCEPTED, 0) / self.total) if self.total else 0
        )


@dataclass(frozen=True)
class BoardFilter:
    status: str = ""
    indicator: int | None = None
    category: int | None = None
    unit_name: str = ""

    def apply(self, qs):
        """The filtered tasks, each annotated with its derived `state`."""
        return qs.with_state().in_state(self.status).filter(self.q())

    def q(self) -> Q:
        q = Q()
        if self.indicator:
            q &= Q(indicator_id=self.indicator)
        if self.category:
            q &= Q(unit__category_id=self.category)
        if self.unit_name:
            q &= Q(unit__name__contains=self.unit_name)
        return q


def board(scheme, flt: BoardFilter) -> dict:
    """Counts by status per unit and per indicator, totals and the completion series (5 queries)."""
    tasks = flt.apply(Task.objects.filter(scheme=scheme))
    by_unit: dict[int, BoardRow] = {}
    for row in (
        tasks.values("unit_id", "unit__name", "unit__path", "state")
        .annotate(n=Count("id"))
        .order_by("unit__path")
    ):
        entry = by_unit.setdefault(row["unit_id"], BoardRow(row["unit_id"], row["unit__name"]))
        entry.counts[row["state"]] = row["n"]
    by_indicator: dict[int, BoardRow] = {}
    for row in (
        tasks.values("indicator_id", "indicator__code", "indicator__name", "state")
        .annotate(n=Count("id"))
        .order_by("indicator__code")
    ):
        entry = by_indicator.setdefault(
            row["indicator_id"],
            BoardRow(row["indicator_id"], row["indicator__name"], row["indicator__code"]),
        )
        entry.counts[row["state"]] = row["n"]
    totals = BoardRow(None, gettext("合计"))
    for entry in by_unit.values():
        for status, n in entry.counts.items():
            totals.counts[status] = totals.counts.get(status, 0) + n
    return {
        "any_tasks": bool(by_unit) or Task.objects.filter(scheme=scheme).exists(),
        "units": list(by_unit.values()),
        "indicators": list(by_indicator.values()),
        "totals": totals,
        "series": completion_series(tasks, totals.total),
        "pending_extensions": list(
            ExtensionRequest.objects.filter(task__scheme=scheme, status=ExtensionStatus.PENDING)
            .select_related("task__unit", "task__indicator", "requested_by")
            .order_by("requested_at")
        ),
    }


def board_stamp(scheme) -> str:
    """One query naming everything the unfiltered board shows besides the date: its tasks
    (any change saves the task or adds a transition), extension requests, indicators."""
    from kaohe.common.cached import stamp_row

    return "/".join(map(str, stamp_row("tasks.board", _board_stamp_query, scheme.pk)))


def _board_stamp_query(pk: int):
    from django.db.models import Max

    from kaohe.common.cached import scalar_aggregate
    from kaohe.schemes.models import Indicator, Scheme

    tasks = Task.objects.filter(scheme=OuterRef("pk"))
    extensions = ExtensionRequest.objects.filter(task__scheme=OuterRef("pk"))
    return (
        Scheme.objects.filter(pk=pk)
        .annotate(
            t_at=scalar_aggregate(tasks, "scheme", Max("updated_at")),
            t_n=scalar_aggregate(tasks, "scheme", Count("pk")),
            moves=scalar_aggregate(
                TaskTransition.objects.filter(task__scheme=OuterRef("pk")),
                "task__scheme",
                Max("pk"),
            ),
            x_id=scalar_aggregate(extensions, "task__scheme", Max("pk")),
            x_at=scalar_aggregate(extensions, "task__scheme", Max("decided_at")),
            i_at=scalar_aggregate(
                Indicator.objects.filter(scheme=OuterRef("pk")), "scheme", Max("updated_at")
            ),
        )
        .values_list("t_at", "t_n", "moves", "x_id", "x_at", "i_at", "name")
    )


def completion_series(tasks, total: int) -> dict:
    """Per day: cumulative tasks submitted at least once and accepted, for the chart."""
    rows = (
        TaskTransition.objects.filter(task__in=tasks.values("pk"))
        .filter(to_status__in=[TaskStatus.SUBMITTED, TaskStatus.ACCEPTED])
        .values("on", "to_status")
        .annotate(n=Count("id"))
        .order_by("on")
    )
    per_day: dict = defaultdict(lambda: {TaskStatus.SUBMITTED: 0, TaskStatus.ACCEPTED: 0})
    for row in rows:
        per_day[row["on"]][row["to_status"]] += row["n"]
    days, submitted, accepted, percent = [], [], [], []
    s = a = 0
    for day in sorted(per_day):
        s += per_day[day][TaskStatus.SUBMITTED]
        a += per_day[day][TaskStatus.ACCEPTED]
        days.append(day.isoformat())
        submitted.append(s)
        accepted.append(a)
        percent.append(round(100 * a / total, 1) if total else 0)
    return {
        "days": days,
        "submitted": submitted,
        "accepted": accepted,
        "percent": percent,
        "total": total,
    }


def board_tasks(scheme, flt: BoardFilter, limit: int = 500) -> list[Task]:
    """The individual tasks behind the board's filter, for the office's review list."""
    return list(
        flt.apply(Task.objects.filter(scheme=scheme))
        .select_related("indicator", "unit")
        .order_by("status", "deadline", "indicator__code", "unit__path")[:limit]
    )
