"""Reminders: on assignment, 7 days and 1 day before the deadline, and when overdue.

`reminders_send` is what `kaohe send-reminders` runs from cron or a systemd timer. Each
reminder is recorded (task, kind, deadline) under a unique key before its email leaves, so
a second run — or two runs at once — sends nothing twice. An extension moves the deadline,
so the 7-day and 1-day reminders go out again for the new date.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from kaohe.audit.services import audit_record
from kaohe.notifications.services import notify_many
from kaohe.tasks import audit_actions

from .choices import ReminderKind, TaskState, TaskStatus
from .models import Reminder, Task
from .notify import RecipientIndex
from .overdue import is_overdue, overdue_q

NOT_SUBMITTED = (TaskStatus.NOT_STARTED, TaskStatus.DRAFT, TaskStatus.RETURNED)


@dataclass
class ReminderReport:
    sent: dict[str, int] = field(default_factory=dict)
    emails: int = 0
    failed: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.sent.values())


def due_kinds(task: Task, today: date, already: set) -> list[str]:
    """Which reminders this task needs today, given the (kind, deadline) pairs already sent."""
    kinds = []
    if not any(kind == ReminderKind.ASSIGNED for kind, _ in already):
        kinds.append(ReminderKind.ASSIGNED)
    left = (task.deadline - today).days
    if is_overdue(task, today):
        kinds.append(ReminderKind.OVERDUE)
    elif task.status in NOT_SUBMITTED:
        if 0 <= left <= 1:
            kinds.append(ReminderKind.DUE_1)
        elif 1 < left <= 7:
            kinds.append(ReminderKind.DUE_7)
    return [k for k in kinds if (k, task.deadline) not in already]


def _state_label(task: Task, today: date) -> str:
    return TaskState.OVERDUE.label if is_overdue(task, today) else task.get_status_display()


SUBJECTS = {
    ReminderKind.ASSIGNED: "【考核任务】新下达 {n} 项任务",
    ReminderKind.DUE_7: "【考核任务】{n} 项任务将在 7 天内截止",
    ReminderKind.DUE_1: "【考核任务】{n} 项任务明天（或今天）截止",
    ReminderKind.OVERDUE: "【考核任务】{n} 项任务已逾期",
}


def message_for(unit, kind: str, tasks: list[Task], today: date) -> tuple[str, str]:
    """One message per unit and kind, listing its tasks (a unit with 14 tasks gets one email)."""
    base = getattr(settings, "KAOHE_BASE_URL", "").rstrip("/")
    lines = [f"{unit}：", ""]
    for task in tasks:
        left = (task.deadline - today).days
        when = f"剩余 {left} 天" if left >= 0 else f"已逾期 {-left} 天"
        lines += [
            f"· {task.indicator.code} {task.indicator.name}（{task.scheme}）",
            f"  资料准备要求：{task.materials or '（见系统）'}",
            f"  提交时限：{task.deadline:%Y年%m月%d日}（{when}），当前状态：{_state_label(task, today)}",
            f"  办理地址：{base}{reverse('tasks:detail', args=[task.pk])}",
        ]
    lines += ["", "（本邮件由依法行政考核管理系统自动发送，请勿直接回复。）"]
    return SUBJECTS[kind].format(n=len(tasks)), "\n".join(lines)


def reminders_send(
    *, today: date | None = None, task_ids: list[int] | None = None, kinds: set[str] | None = None
) -> ReminderReport:
    """Send every reminder that is due and not yet sent; it changes no task (overdue is derived).

    `task_ids`/`kinds` narrow the run, e.g. the assignment emails right after generation.
    """
    today = today or timezone.localdate()
    report = ReminderReport()
    # Only tasks that could need something today: never announced, near the deadline, overdue.
    announced = Reminder.objects.filter(task=OuterRef("pk"), kind=ReminderKind.ASSIGNED)
    candidates = (
        ~Exists(announced)
        | Q(status__in=NOT_SUBMITTED, deadline__gte=today, deadline__lte=today + timedelta(days=7))
        | overdue_q(today)
    )
    tasks = (
        Task.objects.exclude(status=TaskStatus.ACCEPTED)
        .filter(candidates)
        .select_related("indicator", "unit", "scheme")
        .order_by("unit_id", "deadline", "pk")
    )
    if task_ids is not None:
        tasks = tasks.filter(pk__in=task_ids)
    sent: dict[int, set] = {}
    for task_id, kind, deadline in Reminder.objects.filter(task__in=tasks).values_list(
        "task_id", "kind", "deadline"
    ):
        sent.setdefault(task_id, set()).add((kind, deadline))
    due: dict[tuple, list[Task]] = {}
    units = {}
    for task in tasks.iterator(chunk_size=2000):
        for kind in due_kinds(task, today, sent.get(task.pk, set())):
            if kinds is None or kind in kinds:
                due.setdefault((task.unit_id, kind), []).append(task)
                units[task.unit_id] = task.unit
    recipients = RecipientIndex()
    connection = get_connection()
    for (unit_id, kind), unit_tasks in due.items():
        try:
            emails = _send_one(units[unit_id], kind, unit_tasks, today, recipients, connection)
        except IntegrityError:
            continue  # another run recorded these first
        except Exception as exc:  # noqa: BLE001 — one bad address must not stop the run
            report.failed.append(f"{units[unit_id]} {ReminderKind(kind).label}: {exc}")
            continue
        report.sent[kind] = report.sent.get(kind, 0) + len(unit_tasks)
        report.emails += emails
    if report.total:
        audit_record(
            action=audit_actions.TASK_REMINDERS_SEND,
            after={"date": today, "sent": report.sent},
        )
    return report


@transaction.atomic
def _send_one(
    unit, kind: str, tasks: list[Task], today: date, index: RecipientIndex, connection
) -> int:
    """Record first (unique keys), then notify and email; an email error rolls the records back."""
    addresses = index.emails(unit)
    now = timezone.now()
    Reminder.objects.bulk_create(
        [
            Reminder(
                task=t, kind=kind, deadline=t.deadline, sent_at=now, recipients=", ".join(addresses)
            )
            for t in tasks
        ]
    )
    subject, body = message_for(unit, kind, tasks, today)
    users = index.users(unit)
    notify_many(
        (
            u,
            f"{ReminderKind(kind).label}：{t.indicator.name}",
            f"提交时限 {t.deadline:%Y-%m-%d}。资料准备要求：{t.materials}",
            reverse("tasks:detail", args=[t.pk]),
        )
        for u in users
        for t in tasks
    )
    if addresses:
        EmailMessage(subject, body, to=addresses, connection=connection).send()
    return len(addresses)
