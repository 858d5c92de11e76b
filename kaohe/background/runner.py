"""What a worker does with a run id: claim the row, call the task, record the outcome.

A worker that dies mid-task (killed, machine restarted) leaves its row "running" with a
heartbeat that stops moving; `runs_recover` (every minute, and when a worker starts) puts
such a row back on the queue, or marks it failed with a message after the last attempt.
"""

import logging
import os
import socket
import threading
import traceback
import uuid
from datetime import timedelta

from django.conf import settings
from django.db import close_old_connections
from django.db.models import F
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks.base import TaskContext, TaskResult, TaskResultStatus
from django_tasks.utils import normalize_json

from . import progress
from .choices import RunStatus
from .models import BackgroundRun

logger = logging.getLogger("kaohe.background")
WORKER_ID = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"
INTERRUPTED = "运行被中断（工作进程退出或重启），已重新排队（第 {n} 次尝试）。"
GAVE_UP = "运行被中断 {n} 次（工作进程退出或重启），不再重试；请重新发起。"


def _claim(run_id: int) -> bool:
    now = timezone.now()
    return bool(
        BackgroundRun.objects.filter(pk=run_id, status=RunStatus.READY).update(
            status=RunStatus.RUNNING,
            worker_id=WORKER_ID,
            attempts=F("attempts") + 1,
            started_at=now,
            heartbeat_at=now,
        )
    )


def task_result(run: BackgroundRun, task) -> TaskResult:
    """The django-tasks view of a run (what `Task.get_result` returns)."""
    result = TaskResult(
        task=task,
        id=str(run.pk),
        status=TaskResultStatus(run.status),
        enqueued_at=run.enqueued_at,
        started_at=run.started_at,
        finished_at=run.finished_at,
        last_attempted_at=run.started_at,
        args=run.args,
        kwargs=run.kwargs,
        backend=task.backend,
        errors=[],
        worker_ids=[run.worker_id] if run.worker_id else [],
    )
    object.__setattr__(result, "_return_value", run.result)
    return result


def execute(run_id: int) -> None:
    """Run one BackgroundRun (called by huey in a worker, or in-process in immediate mode)."""
    if not settings.KAOHE_TASKS_IMMEDIATE:
        close_old_connections()
    if not _claim(run_id):
        return  # already taken by another worker, finished, or gone
    run = BackgroundRun.objects.get(pk=run_id)
    progress.set_current(run_id)
    try:
        task = import_string(run.task_path)
        if task.takes_context:
            value = task.call(
                TaskContext(task_result=task_result(run, task)), *run.args, **run.kwargs
            )
        else:
            value = task.call(*run.args, **run.kwargs)
    except Exception as exc:  # noqa: BLE001 — the failure is recorded on the row
        logger.exception("background task %s #%s failed", run.task_path, run_id)
        _finish(
            run_id,
            RunStatus.FAILED,
            message=failure_message(exc)[:2000],
            error=traceback.format_exc(),
        )
    else:
        _finish(run_id, RunStatus.SUCCESSFUL, result=normalize_json(value))
    finally:
        progress.set_current(None)
        progress.close_side_connection()
        if not settings.KAOHE_TASKS_IMMEDIATE:
            close_old_connections()


def failure_message(exc: Exception) -> str:
    """What the page shows: a refusal's own words (ValidationError), else type and text."""
    from django.core.exceptions import ValidationError

    if isinstance(exc, ValidationError):
        return "；".join(exc.messages)
    return f"{type(exc).__name__}: {exc}"


def _finish(run_id: int, status: str, **values) -> None:
    BackgroundRun.objects.filter(pk=run_id, worker_id=WORKER_ID).update(
        status=status, finished_at=timezone.now(), **values
    )


def heartbeat() -> int:
    """Mark this worker's running rows as alive."""
    return BackgroundRun.objects.filter(worker_id=WORKER_ID, status=RunStatus.RUNNING).update(
        heartbeat_at=timezone.now()
    )


def start_heartbeat(interval: float) -> threading.Event:
    """A thread in the worker process (never in a web process) that beats every `interval`."""
    stop = threading.Event()

    def beat():
        while not stop.wait(interval):
            try:
                heartbeat()
            except Exception:  # noqa: BLE001 — a locked database must not kill the beat
                logger.warning("heartbeat failed", exc_info=True)
            finally:
                close_old_connections()

    threading.Thread(target=beat, name="kaohe-heartbeat", daemon=True).start()
    return stop


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _dead_here(worker_id: str) -> bool:
    """A worker on this machine whose process is gone (restarted by systemd, killed)."""
    host, _, rest = worker_id.partition(":")
    pid = rest.partition(":")[0]
    return host == socket.gethostname() and pid.isdigit() and not _pid_alive(int(pid))


def runs_recover(*, stale_seconds: float | None = None) -> dict:
    """Requeue (or fail, after the last attempt) runs whose worker stopped beating or died."""
    stale = stale_seconds if stale_seconds is not None else settings.KAOHE_TASK_STALE_SECONDS
    cutoff = timezone.now() - timedelta(seconds=stale)
    limit = settings.KAOHE_TASK_MAX_ATTEMPTS
    requeued = failed = 0
    running = BackgroundRun.objects.filter(status=RunStatus.RUNNING).exclude(worker_id=WORKER_ID)
    for run_id, attempts, worker_id, beat in running.values_list(
        "pk", "attempts", "worker_id", "heartbeat_at"
    ):
        if not (beat is None or beat < cutoff or _dead_here(worker_id)):
            continue
        row = BackgroundRun.objects.filter(pk=run_id, status=RunStatus.RUNNING, worker_id=worker_id)
        if attempts >= limit:
            failed += row.update(
                status=RunStatus.FAILED,
                finished_at=timezone.now(),
                message=GAVE_UP.format(n=attempts),
            )
        elif row.update(status=RunStatus.READY, message=INTERRUPTED.format(n=attempts + 1)):
            requeued += 1
            from . import broker

            broker.submit(run_id)
    if requeued or failed:
        logger.warning("recovered background runs: %s requeued, %s failed", requeued, failed)
    return {"requeued": requeued, "failed": failed}
