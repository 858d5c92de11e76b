"""Background task settings (docs/architecture.md "后台任务", docs/deployment.md)."""

import os

from .env import TESTING

# django-tasks API; runs stored in the database, queued on huey (SQLite file by default,
# Redis when KAOHE_TASKS_REDIS_URL or REDIS_URL is set). Tests run tasks in-process.
TASKS = {"default": {"BACKEND": "kaohe.background.backend.HueyBackend"}}
KAOHE_TASKS_IMMEDIATE = os.environ.get("KAOHE_TASKS_IMMEDIATE", "1" if TESTING else "0") == "1"
KAOHE_TASKS_REDIS_URL = os.environ.get("KAOHE_TASKS_REDIS_URL") or os.environ.get("REDIS_URL", "")
KAOHE_TASK_HEARTBEAT_SECONDS = float(os.environ.get("KAOHE_TASK_HEARTBEAT_SECONDS", "10"))
KAOHE_TASK_STALE_SECONDS = float(os.environ.get("KAOHE_TASK_STALE_SECONDS", "60"))
KAOHE_TASK_MAX_ATTEMPTS = int(os.environ.get("KAOHE_TASK_MAX_ATTEMPTS", "3"))
KAOHE_REMINDERS_CRONTAB = os.environ.get("KAOHE_REMINDERS_AT", "08:00").split(":")
KAOHE_PERIODIC = {
    "reminders": {
        "task": "kaohe.tasks.background.reminders_send_task",
        "crontab": {"hour": KAOHE_REMINDERS_CRONTAB[0], "minute": KAOHE_REMINDERS_CRONTAB[1]},
    },
    "overdue": {"task": "kaohe.tasks.background.overdue_sweep_task", "crontab": {"minute": "5"}},
}
if os.environ.get("KAOHE_BACKUP_DIR"):
    KAOHE_BACKUP_DIR = os.environ["KAOHE_BACKUP_DIR"]
    KAOHE_PERIODIC["backup"] = {
        "task": "kaohe.audit.background.backup_task",
        "crontab": {"hour": "2", "minute": "30"},
    }
