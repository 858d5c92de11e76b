"""Periodic work, scheduled by the workers themselves (no cron line).

Every worker runs huey's scheduler; each slot ("reminders at 08:00 on 1 Dec") is enqueued
under a unique key, so however many workers run on however many machines, it runs once.
settings.KAOHE_PERIODIC maps a name to {"task": dotted path, "crontab": huey crontab args}.
"""

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string
from huey import crontab

from . import runner
from .services import run_enqueue


def enqueue_slot(name: str, task_path: str) -> bool:
    slot = timezone.now().replace(second=0, microsecond=0).isoformat(timespec="minutes")
    task = import_string(task_path)
    return run_enqueue(task, dedupe_key=f"{name}@{slot}") is not None


def _make(name: str, task_path: str):
    def fire():
        enqueue_slot(name, task_path)

    fire.__name__ = f"periodic_{name}"
    return fire


def recover():
    runner.runs_recover()


def register(huey) -> None:
    huey.periodic_task(crontab(), name="recover")(recover)
    for name, spec in settings.KAOHE_PERIODIC.items():
        huey.periodic_task(crontab(**spec["crontab"]), name=name)(_make(name, spec["task"]))
