"""Running an import job's check or apply step, in the request or as a background task.

Choice (docs/import-export.md): files above KAOHE_IMPORT_BACKGROUND_BYTES run as a task on
the worker queue (kaohe.background, docs/architecture.md "后台任务"); the page polls a
progress fragment with htmx. Progress lives on the task's BackgroundRun row in the
database, which every app server sees. The job row gets the final report.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from kaohe.background.choices import RunStatus
from kaohe.background.progress import progress_callback
from kaohe.background.services import enqueue, run_latest

from .choices import RUNNING_STATUSES, ImportKind, JobStatus
from .models import ImportJob
from .services import import_apply, import_check

DEFAULT_BACKGROUND_BYTES = 256 * 1024


def run_ref(job_id: int) -> str:
    return f"transfer.importjob:{job_id}"


def progress_get(job_id: int) -> dict:
    run = run_latest(run_ref(job_id))
    if run is None or run.status != RunStatus.RUNNING:
        return {}
    return {"phase": run.phase, "done": run.done, "total": run.total}


def run_failure(job: ImportJob) -> str:
    """The message of a background step that was given up (so the page can say so)."""
    run = run_latest(run_ref(job.pk))
    if run is not None and run.status == RunStatus.FAILED and job.status in RUNNING_STATUSES:
        return run.message
    return ""


def _data(job: ImportJob) -> bytes:
    with job.file.open("rb") as handle:
        return handle.read()


def _finish(job: ImportJob, status: str, report: dict) -> None:
    ImportJob.objects.filter(pk=job.pk).update(
        status=status, report=report, finished_at=timezone.now(), updated_at=timezone.now()
    )


def job_check(job_id: int) -> None:
    """The dry run: fills the job's report (the preview)."""
    job = ImportJob.objects.select_related("scheme__owner_unit", "owner_unit").get(pk=job_id)
    progress = progress_callback("check")
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
            "errors": [
                _("检查时发生内部错误（%(name)s），未写入任何数据。") % {"name": type(exc).__name__}
            ],
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
            progress=progress_callback("apply"),
        )
    except Exception as exc:
        report = {
            "ok": False,
            "errors": [
                _("导入时发生内部错误（%(name)s），已全部回滚，未写入任何数据。")
                % {"name": type(exc).__name__}
            ],
        }
    _finish(job, JobStatus.DONE if report["ok"] else JobStatus.FAILED, report)


@task()
def import_check_task(job_id: int, language: str | None = None) -> None:
    # The report's messages are in the language of the page that started the step.
    with translation.override(language or settings.LANGUAGE_CODE):
        job_check(job_id)


@task()
def import_apply_task(
    job_id: int, actor_id: int | None = None, language: str | None = None
) -> None:
    # A retried apply is safe: a cut apply was rolled back with its transaction.
    if ImportJob.objects.filter(pk=job_id, status=JobStatus.APPLYING).exists():
        actor = get_user_model().objects.filter(pk=actor_id).first() if actor_id else None
        with translation.override(language or settings.LANGUAGE_CODE):
            job_apply(job_id, actor)


def in_background(job: ImportJob) -> bool:
    limit = getattr(settings, "KAOHE_IMPORT_BACKGROUND_BYTES", DEFAULT_BACKGROUND_BYTES)
    return limit is not None and (job.file.size or 0) > limit


def job_start(job: ImportJob, step: str, actor=None) -> None:
    """Start the check ("check") or apply ("apply") step, as a task for large files."""
    status = JobStatus.CHECKING if step == "check" else JobStatus.APPLYING
    ImportJob.objects.filter(pk=job.pk).update(status=status, updated_at=timezone.now())
    job.status = status
    if in_background(job):
        language = translation.get_language()
        if step == "check":
            enqueue(import_check_task, job.pk, language, ref=run_ref(job.pk))
        else:
            actor_id = getattr(actor, "pk", None)
            enqueue(import_apply_task, job.pk, actor_id, language, ref=run_ref(job.pk))
        job.refresh_from_db()
    elif step == "check":
        job_check(job.pk)
        job.refresh_from_db()
    else:
        job_apply(job.pk, actor)
        job.refresh_from_db()


__all__ = ["ImportKind", "job_start", "progress_get"]
