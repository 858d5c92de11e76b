"""Running an import job's check or apply step, in the request or in a background thread.

Choice (docs/import-export.md): files above KAOHE_IMPORT_BACKGROUND_BYTES run in a thread
started by the request; the page polls a progress fragment with htmx. Progress lives in the
cache (not in the job row) because the apply transaction holds SQLite's write lock; use
Redis (REDIS_URL) when several server processes run. The job row gets the final report.
"""

import threading

from django.conf import settings
from django.core.cache import cache
from django.db import close_old_connections, connection, transaction
from django.utils import timezone

from .choices import ImportKind, JobStatus
from .models import ImportJob
from .services import import_apply, import_check

DEFAULT_BACKGROUND_BYTES = 256 * 1024


def progress_key(job_id: int) -> str:
    return f"kaohe-transfer-job-{job_id}"


def progress_get(job_id: int) -> dict:
    return cache.get(progress_key(job_id)) or {}


def _progress_setter(job_id: int, phase: str):
    def update(done: int, total: int) -> None:
        cache.set(progress_key(job_id), {"phase": phase, "done": done, "total": total}, 3600)

    return update


def _data(job: ImportJob) -> bytes:
    with job.file.open("rb") as handle:
        return handle.read()


def _finish(job: ImportJob, status: str, report: dict) -> None:
    ImportJob.objects.filter(pk=job.pk).update(
        status=status, report=report, finished_at=timezone.now(), updated_at=timezone.now()
    )
    cache.delete(progress_key(job.pk))


def job_check(job_id: int) -> None:
    """The dry run: fills the job's report (the preview)."""
    job = ImportJob.objects.select_related("scheme__owner_unit", "owner_unit").get(pk=job_id)
    progress = _progress_setter(job.pk, "check")
    progress(0, 0)
    try:
        report = import_check(
            kind=job.kind,
            name=job.filename,
            data=_data(job),
            scheme=job.scheme,
            owner=job.owner_unit,
            options=job.options,
            progress=progress,
        )
    except Exception as exc:  # never leave a job "checking" forever
        report = {
            "ok": False,
            "errors": [f"检查时发生内部错误（{type(exc).__name__}），未写入任何数据。"],
        }
    _finish(job, JobStatus.CHECKED if report["ok"] else JobStatus.INVALID, report)


def job_apply(job_id: int, actor) -> None:
    job = ImportJob.objects.select_related("scheme__owner_unit", "owner_unit").get(pk=job_id)
    try:
        report = import_apply(
            kind=job.kind,
            name=job.filename,
            data=_data(job),
            scheme=job.scheme,
            owner=job.owner_unit,
            options=job.options,
            actor=actor,
            progress=_progress_setter(job.pk, "apply"),
        )
    except Exception as exc:
        report = {
            "ok": False,
            "errors": [f"导入时发生内部错误（{type(exc).__name__}），已全部回滚，未写入任何数据。"],
        }
    _finish(job, JobStatus.DONE if report["ok"] else JobStatus.FAILED, report)


def in_background(job: ImportJob) -> bool:
    limit = getattr(settings, "KAOHE_IMPORT_BACKGROUND_BYTES", DEFAULT_BACKGROUND_BYTES)
    return limit is not None and (job.file.size or 0) > limit


def _thread(target, *args) -> None:
    def run():
        close_old_connections()
        try:
            target(*args)
        finally:
            connection.close()

    threading.Thread(target=run, name=f"kaohe-import-{args[0]}", daemon=True).start()


def job_start(job: ImportJob, step: str, actor=None) -> None:
    """Start the check ("check") or apply ("apply") step, in a thread for large files."""
    status = JobStatus.CHECKING if step == "check" else JobStatus.APPLYING
    ImportJob.objects.filter(pk=job.pk).update(status=status, updated_at=timezone.now())
    job.status = status
    args = (job.pk,) if step == "check" else (job.pk, actor)
    target = job_check if step == "check" else job_apply
    if in_background(job):
        transaction.on_commit(lambda: _thread(target, *args))
    else:
        target(*args)
        job.refresh_from_db()


__all__ = ["ImportKind", "job_start", "progress_get"]
