"""Background tasks of the tasks app: reminders and overdue sweeps (periodic), generation."""

from datetime import date

from django_tasks import task


@task()
def reminders_send_task(day: str = "") -> dict:
    """Mark overdue tasks and send due reminders (idempotent; scheduled daily)."""
    from .reminders import reminders_send

    report = reminders_send(today=date.fromisoformat(day) if day else None)
    return {"overdue": report.overdue_marked, "sent": report.sent, "failed": report.failed}


@task()
def overdue_sweep_task() -> dict:
    """Open tasks past their deadline become overdue (scheduled hourly)."""
    from .services import tasks_mark_overdue

    return {"overdue": len(tasks_mark_overdue())}


@task()
def tasks_generate_task(scheme_id: int, actor_id: int | None = None) -> dict:
    """Generate a scheme's tasks (one per indicator × responsible unit)."""
    from django.contrib.auth import get_user_model

    from kaohe.schemes.models import Scheme

    from .services import tasks_generate

    actor = get_user_model().objects.filter(pk=actor_id).first() if actor_id else None
    result = tasks_generate(scheme=Scheme.objects.get(pk=scheme_id), actor=actor)
    return {"created": result.created, "existing": result.existing}
