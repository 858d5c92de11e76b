"""Background tasks in immediate mode (in-process), recovery and periodic slots."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks import TaskResultStatus

from kaohe.background import periodic, runner
from kaohe.background.models import BackgroundRun
from kaohe.background.services import enqueue
from kaohe.background.tasks import probe

pytestmark = pytest.mark.django_db


def test_django_tasks_api_runs_and_stores_the_result():
    result = probe.enqueue(0, steps=3)
    assert result.status == TaskResultStatus.SUCCESSFUL
    run = BackgroundRun.objects.get(pk=int(result.id))
    assert run.status == "SUCCESSFUL" and run.attempts == 1
    assert (run.done, run.total, run.phase) == (3, 3, "probe")
    fetched = probe.get_result(result.id)
    assert fetched.return_value == {"slept": 0, "steps": 3}


def test_a_failing_task_is_marked_failed_with_its_message():
    run = enqueue(probe, "not a number", ref="x:1")
    assert run.status == "FAILED"
    assert run.message.startswith("TypeError") and "Traceback" in run.error
    assert run.finished_at is not None


def _stuck(attempts):
    return BackgroundRun.objects.create(
        task_path="kaohe.background.tasks.probe",
        status="RUNNING",
        attempts=attempts,
        worker_id="gone:1:abc",
        heartbeat_at=timezone.now() - timedelta(minutes=10),
    )


def test_a_run_cut_by_a_restart_is_retried():
    run = _stuck(attempts=1)
    assert runner.runs_recover(stale_seconds=60) == {"requeued": 1, "failed": 0}
    run.refresh_from_db()
    # immediate mode: the requeued run ran again right away
    assert run.status == "SUCCESSFUL" and run.attempts == 2
    assert "重新排队" in run.message


def test_a_run_cut_too_often_is_failed_with_a_message(settings):
    settings.KAOHE_TASK_MAX_ATTEMPTS = 3
    run = _stuck(attempts=3)
    assert runner.runs_recover(stale_seconds=60) == {"requeued": 0, "failed": 1}
    run.refresh_from_db()
    assert run.status == "FAILED" and "不再重试" in run.message


def test_a_beating_run_is_left_alone():
    run = _stuck(attempts=1)
    BackgroundRun.objects.filter(pk=run.pk).update(heartbeat_at=timezone.now())
    assert runner.runs_recover(stale_seconds=60) == {"requeued": 0, "failed": 0}


def test_a_periodic_slot_runs_once_however_many_workers_fire_it():
    assert periodic.enqueue_slot("probe", "kaohe.background.tasks.probe") is True
    assert periodic.enqueue_slot("probe", "kaohe.background.tasks.probe") is False
    assert BackgroundRun.objects.filter(task_path__endswith="probe").count() == 1


def test_the_periodic_schedule_has_reminders_and_overdue_and_no_cron(settings):
    from huey import MemoryHuey

    huey = MemoryHuey("t")
    periodic.register(huey)
    names = {t.__name__ for t in huey._registry._periodic_tasks}
    assert {"recover", "reminders", "overdue"} <= names


def test_reminders_fire_at_the_configured_local_time():
    from datetime import datetime

    from huey import MemoryHuey

    huey = MemoryHuey("t", utc=False)
    periodic.register(huey)
    reminders = next(t for t in huey._registry._periodic_tasks if t.__name__ == "reminders")
    assert reminders.validate_datetime(reminders, datetime(2026, 12, 1, 8, 0))
    assert not reminders.validate_datetime(reminders, datetime(2026, 12, 1, 9, 0))
