"""Progress of the running task, written to its BackgroundRun row.

A task that holds a long transaction (an import's apply step) would hide its own progress
until commit, so on PostgreSQL progress goes through a second connection of its own. On
SQLite that second connection would wait for the write lock, so progress written inside a
transaction becomes visible at commit (the embedded default runs on one machine).
"""

import threading
import time

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.utils import timezone

from .models import BackgroundRun

_local = threading.local()
MIN_INTERVAL = 0.5  # seconds between two writes of the same run's progress


def current_run_id() -> int | None:
    return getattr(_local, "run_id", None)


def set_current(run_id: int | None) -> None:
    _local.run_id = run_id
    _local.last = 0.0


def _side_connection():
    side = getattr(_local, "side", None)
    if side is None:
        side = connections.create_connection(DEFAULT_DB_ALIAS)
        _local.side = side
    return side


def close_side_connection() -> None:
    side = getattr(_local, "side", None)
    if side is not None:
        side.close()
        _local.side = None


def progress_set(done: int, total: int, phase: str = "", *, force: bool = False) -> None:
    """Record how far the current task is; a no-op outside a task. Throttled."""
    run_id = current_run_id()
    if run_id is None:
        return
    now = time.monotonic()
    if not force and done < total and now - getattr(_local, "last", 0.0) < MIN_INTERVAL:
        return
    _local.last = now
    values = {"done": done, "total": total, "heartbeat_at": timezone.now()}
    if phase:
        values["phase"] = phase[:50]
    # In immediate mode the run row itself is not committed yet: write on the same connection.
    side = not settings.KAOHE_TASKS_IMMEDIATE and connection.vendor == "postgresql"
    if side and connection.in_atomic_block:
        side = _side_connection()
        table = BackgroundRun._meta.db_table
        columns = ", ".join(f"{side.ops.quote_name(k)} = %s" for k in values)
        with side.cursor() as cursor:
            cursor.execute(
                f"UPDATE {side.ops.quote_name(table)} SET {columns} WHERE id = %s",  # noqa: S608
                [*values.values(), run_id],
            )
        return
    BackgroundRun.objects.filter(pk=run_id).update(**values)


def progress_callback(phase: str):
    """A `(done, total)` callable for services that report progress (imports)."""

    def update(done: int, total: int) -> None:
        progress_set(done, total, phase)

    return update
