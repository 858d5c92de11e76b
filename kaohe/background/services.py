"""Enqueue a django-tasks Task as a BackgroundRun row and hand its id to the queue."""

from django.db import IntegrityError, transaction
from django_tasks.utils import normalize_json

from . import broker
from .models import BackgroundRun


def run_enqueue(
    task, args=(), kwargs=None, *, ref: str = "", dedupe_key: str | None = None, requested_by=None
):
    """Store the run and queue it once the surrounding transaction commits.

    With a `dedupe_key` a second enqueue of the same key returns None (periodic slots).
    In immediate mode (tests) the task runs right here, in the caller's transaction.
    """
    try:
        with transaction.atomic():
            run = BackgroundRun.objects.create(
                task_path=task.module_path,
                args=normalize_json(list(args)),
                kwargs=normalize_json(dict(kwargs or {})),
                queue_name=task.queue_name,
                ref=ref,
                dedupe_key=dedupe_key,
                requested_by=requested_by if getattr(requested_by, "pk", None) else None,
            )
    except IntegrityError:
        if dedupe_key is None:
            raise
        return None
    if broker.immediate():
        broker.submit(run.pk)
        run.refresh_from_db()
    else:
        transaction.on_commit(lambda: broker.submit(run.pk))
    return run


def enqueue(task, *args, ref: str = "", requested_by=None, **kwargs) -> BackgroundRun:
    """`task.enqueue(...)` with a reference to the object it works on (for progress pages) and
    the user who started it from a page (who alone sees its progress there)."""
    return run_enqueue(task, args, kwargs, ref=ref, requested_by=requested_by)


def run_of(user, pk, ref: str = "") -> BackgroundRun | None:
    """A run the user started (and, with `ref`, about that object); None for anything else,
    so a page cannot show another user's run."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        return None
    if not getattr(user, "is_authenticated", False) or not 0 < pk < 2**63:
        return None
    runs = BackgroundRun.objects.filter(pk=pk, requested_by=user)
    if ref:
        runs = runs.filter(ref=ref)
    return runs.first()


def run_latest(ref: str) -> BackgroundRun | None:
    return BackgroundRun.objects.filter(ref=ref).order_by("-pk").first()
