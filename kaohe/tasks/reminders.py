"""Reminders: on assignment, 7 days and 1 day before the deadline, and when overdue.

`reminders_send` is what `kaohe send-reminders` runs from cron or a systemd timer. Each
reminder is recorded (task, kind, deadline) under a unique key before its email leaves, so
a second run — or two runs at once — sends nothing twice. An extension moves the deadline,
so the 7-day and 1-day reminders go out again for the new date.
"""

from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from kaohe.audit.services import audit_record

from .choices import ReminderKind, TaskStatus
from .models import Reminder, Task
from .notify import RecipientIndex, notify_unit
from .services import tasks_mark_overdue

NOT_SUBMITTED = (TaskStatus.NOT_STARTED, TaskStatus.DRAFT, TaskStatus.RETURNED)


@dataclass
class ReminderReport:
    overdue_marked: int = 0
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
    if task.status == TaskStatus.OVERDUE:
        kinds.append(ReminderKind.OVERDUE)
    elif task.status in NOT_SUBMITTED:
        if 0 <= left <= 1:
            kinds.append(ReminderKind.DUE_1)
        elif 1 < left <= 7:
            kinds.append(ReminderKind.DUE_7)
    return [k for k in kinds if (k, task.deadline) not in already]


def message_for(task: Task, kind: str, today: date) -> tuple[str, str]:
    name = task.indicator.name
    left = (task.deadline - today).days
    subject = {
        ReminderKind.ASSIGNED: f"【考核任务】新任务：{name}",
        ReminderKind.DUE_7: f"【考核任务】距截止还有 {left} 天：{name}",
        ReminderKind.DUE_1: f"【考核任务】明天截止：{name}"
        if left == 1
        else f"【考核任务】今天截止：{name}",
        ReminderKind.OVERDUE: f"【考核任务】已逾期：{name}",
    }[kind]
    base = getattr(settings, "KAOHE_BASE_URL", "").rstrip("/")
    lines = [
        f"{task.unit}：",
        "",
        f"考核方案：{task.scheme}",
        f"指标：{task.indicator.code} {name}",
        f"资料准备要求：{task.materials or '（见系统）'}",
        f"提交时限：{task.deadline:%Y年%m月%d日}",
        f"当前状态：{task.get_status_display()}",
        "",
        f"请登录系统办理：{base}{reverse('tasks:detail', args=[task.pk])}",
        "",
        "（本邮件由依法行政考核管理系统自动发送，请勿直接回复。）",
    ]
    return subject, "\n".join(lines)


def reminders_send(
    *, today: date | None = None, task_ids: list[int] | None = None, kinds: set[str] | None = None
) -> ReminderReport:
    """Mark overdue tasks, then send every reminder that is due and not yet sent.

    `task_ids`/`kinds` narrow the run, e.g. the assignment emails right after generation.
    """
    today = today or timezone.localdate()
    report = ReminderReport()
    if task_ids is None:
        report.overdue_marked = len(tasks_mark_overdue(today=today))
    tasks = (
        Task.objects.exclude(status=TaskStatus.ACCEPTED)
        .select_related("indicator", "unit", "scheme")
        .order_by("pk")
    )
    if task_ids is not None:
        tasks = tasks.filter(pk__in=task_ids)
    sent: dict[int, set] = {}
    for task_id, kind, deadline in Reminder.objects.filter(task__in=tasks).values_list(
        "task_id", "kind", "deadline"
    ):
        sent.setdefault(task_id, set()).add((kind, deadline))
    recipients = RecipientIndex()
    connection = get_connection()
    for task in tasks.iterator(chunk_size=2000):
        for kind in due_kinds(task, today, sent.get(task.pk, set())):
            if kinds is not None and kind not in kinds:
                continue
            try:
                emails = _send_one(task, kind, today, recipients, connection)
            except IntegrityError:
                continue  # another run recorded it first
            except Exception as exc:  # noqa: BLE001 — one bad address must not stop the run
                report.failed.append(f"任务 {task.pk} {kind}: {exc}")
                continue
            report.sent[kind] = report.sent.get(kind, 0) + 1
            report.emails += emails
    if report.total or report.overdue_marked:
        audit_record(
            action="task.reminders.send",
            after={"date": today, "sent": report.sent, "overdue": report.overdue_marked},
        )
    return report


@transaction.atomic
def _send_one(task: Task, kind: str, today: date, index: RecipientIndex, connection) -> int:
    """Record first (unique key), then notify and email; an email error rolls the record back."""
    addresses = index.emails(task.unit)
    with transaction.atomic():
        Reminder.objects.create(
            task=task,
            kind=kind,
            deadline=task.deadline,
            sent_at=timezone.now(),
            recipients=", ".join(addresses),
        )
    subject, body = message_for(task, kind, today)
    notify_unit(
        task=task,
        title=subject.removeprefix("【考核任务】"),
        body=body,
        users=index.users(task.unit),
    )
    if addresses:
        EmailMessage(subject, body, to=addresses, connection=connection).send()
    return len(addresses)
