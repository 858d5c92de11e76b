"""Reminders: assignment, 7 days, 1 day, overdue; idempotent; email via locmem; in-app list."""

from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command

from kaohe.notifications.models import Notification
from kaohe.tasks import services
from kaohe.tasks.choices import ReminderKind
from kaohe.tasks.models import Reminder, Task
from kaohe.tasks.reminders import reminders_send

from .conftest import upload

pytestmark = pytest.mark.django_db


def kinds_for(task):
    return sorted(Reminder.objects.filter(task=task).values_list("kind", flat=True))


def test_assignment_email_once(world, mailoutbox):
    task = world.task()
    today = task.deadline - timedelta(days=20)
    report = reminders_send(today=today)
    assert report.sent == {ReminderKind.ASSIGNED: 4}
    to_a = [m for m in mailoutbox if "a@example.invalid" in m.to]
    assert len(to_a) == 1 and to_a[0].subject == "【考核任务】新下达 2 项任务"
    assert "法治政府建设工作汇报" in to_a[0].body and "推荐5名" in to_a[0].body
    assert f"/tasks/{task.pk}/" in to_a[0].body and "市住建局" not in to_a[0].body
    count = len(mailoutbox)
    again = reminders_send(today=today)
    assert again.total == 0 and len(mailoutbox) == count
    assert Notification.objects.filter(user=world.user_a).count() == 2


def test_seven_and_one_day_then_overdue(world, mailoutbox):
    task = world.task()
    reminders_send(today=task.deadline - timedelta(days=20))
    reminders_send(today=task.deadline - timedelta(days=7))
    assert kinds_for(task) == [ReminderKind.ASSIGNED, ReminderKind.DUE_7]
    reminders_send(today=task.deadline - timedelta(days=5))  # still inside the 7-day window
    assert kinds_for(task) == [ReminderKind.ASSIGNED, ReminderKind.DUE_7]
    reminders_send(today=task.deadline - timedelta(days=1))
    assert ReminderKind.DUE_1 in kinds_for(task)
    assert any("明天（或今天）截止" in m.subject for m in mailoutbox)
    status = task.status
    reminders_send(today=task.deadline + timedelta(days=1))
    task.refresh_from_db()
    assert task.status == status  # reminders only send; overdue is derived
    assert ReminderKind.OVERDUE in kinds_for(task)
    assert any("已逾期" in m.subject for m in mailoutbox)
    count = len(mailoutbox)
    reminders_send(today=task.deadline + timedelta(days=2))
    assert len(mailoutbox) == count


def test_submitted_tasks_get_no_deadline_reminders(world, mailoutbox):
    task = world.task()
    reminders_send(today=task.deadline - timedelta(days=20))
    services.material_upload(task=task, upload=upload(), actor=world.user_a)
    services.task_submit(task=task, actor=world.user_a)
    reminders_send(today=task.deadline - timedelta(days=1))
    assert kinds_for(task) == [ReminderKind.ASSIGNED]


def test_extension_rearms_deadline_reminders(world):
    task = world.task()
    reminders_send(today=task.deadline - timedelta(days=1))
    assert ReminderKind.DUE_1 in kinds_for(task)
    ext = services.extension_request(
        task=task,
        actor=world.user_a,
        reason="r",
        requested_deadline=task.deadline + timedelta(days=10),
    )
    services.extension_decide(extension=ext, actor=world.office, approve=True)
    task.refresh_from_db()
    reminders_send(today=task.deadline - timedelta(days=1))
    assert Reminder.objects.filter(task=task, kind=ReminderKind.DUE_1).count() == 2


def test_unit_contact_email_and_no_other_unit(world, mailoutbox):
    world.unit_a.contact_email = "contact@sifaju.invalid"
    world.unit_a.save()
    reminders_send(today=world.task().deadline - timedelta(days=20))
    to_contact = [m for m in mailoutbox if "contact@sifaju.invalid" in m.to]
    assert len(to_contact) == 1
    assert all("b@example.invalid" not in m.to for m in to_contact)


def test_failed_email_is_retried_next_run(world, mailoutbox, monkeypatch):
    from django.core.mail import EmailMessage

    def boom(self, fail_silently=False):
        raise OSError("SMTP down")

    monkeypatch.setattr(EmailMessage, "send", boom)
    report = reminders_send(today=world.task().deadline - timedelta(days=20))
    assert report.failed and Reminder.objects.count() == 0
    monkeypatch.undo()
    assert reminders_send(today=world.task().deadline - timedelta(days=20)).total == 4


def test_command_is_idempotent(world, mailoutbox):
    day = (world.task().deadline - timedelta(days=20)).isoformat()
    out = __import__("io").StringIO()
    call_command("send_reminders", "--date", day, stdout=out)
    assert "发送提醒 4 条" in out.getvalue()
    sent = len(mailoutbox)
    out = __import__("io").StringIO()
    call_command("send_reminders", "--date", day, stdout=out)
    assert "发送提醒 0 条" in out.getvalue() and len(mailoutbox) == sent
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("send_reminders", "--date", "明天")


def test_generate_tasks_command(world, mailoutbox):
    Task.objects.all().delete()
    out = __import__("io").StringIO()
    call_command("generate_tasks", "--scheme", world.scheme.code, stdout=out)
    assert "已生成 4 项任务" in out.getvalue() and len(mailoutbox) == 2
    out = __import__("io").StringIO()
    call_command("generate_tasks", "--scheme", world.scheme.code, stdout=out)
    assert "已生成 0 项任务，已存在 4 项" in out.getvalue() and len(mailoutbox) == 2
    with pytest.raises(CommandError, match="不存在"):
        call_command("generate_tasks", "--scheme", "nope")


def test_hourly_overdue_sweep_task_sends_only_overdue_once(world, mailoutbox):
    from django.utils import timezone

    from kaohe.tasks.background import overdue_sweep_task

    task = world.task()
    Task.objects.filter(pk=task.pk).update(deadline=timezone.localdate() - timedelta(days=2))
    first = overdue_sweep_task.enqueue()  # immediate mode in tests: runs here
    assert first.status == "SUCCESSFUL"
    assert kinds_for(task) == [ReminderKind.OVERDUE]
    count = len(mailoutbox)
    overdue_sweep_task.enqueue()
    assert len(mailoutbox) == count and kinds_for(task) == [ReminderKind.OVERDUE]
