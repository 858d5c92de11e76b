"""Background tasks of the tasks app: reminders and overdue sweeps (periodic), generation."""

from datetime import date

from django_tasks import task


@task()
def reminders_send_task(day: str = "") -> dict:
    """Send every due reminder (idempotent; scheduled daily)."""
    from .reminders import reminders_send

    report = reminders_send(today=date.fromisoformat(day) if day else None)
    return {"sent": report.sent, "emails": report.emails, "failed": report.failed}


@task()
def overdue_sweep_task() -> dict:
    """Tell units about tasks that have just become overdue (scheduled hourly). Overdue itself
    is derived from the deadline when read; this only sends the overdue reminders, once each."""
    from .choices import ReminderKind
    from .reminders import reminders_send

    report = reminders_send(kinds={ReminderKind.OVERDUE})
    return {"sent": report.sent, "failed": report.failed}


GENERATE_REF = "tasks.generate:{}"


@task()
def tasks_generate_task(scheme_id: int, actor_id: int | None = None) -> dict:
    """Generate a scheme's tasks (one per indicator × responsible unit) and tell the units of
    their new tasks; the result's message is what the board shows."""
    from django.contrib.auth import get_user_model
    from django.utils.translation import gettext as _

    from kaohe.common.text import join_list
    from kaohe.schemes.models import Scheme

    from .reminders import reminders_send
    from .services import tasks_generate

    actor = get_user_model().objects.filter(pk=actor_id).first() if actor_id else None
    result = tasks_generate(scheme=Scheme.objects.get(pk=scheme_id), actor=actor)
    if result.created:
        reminders_send(task_ids=result.task_ids, kinds={"assigned"})
    message = _("已生成 %(created)d 项任务，已存在 %(existing)d 项未重复生成。") % {
        "created": result.created,
        "existing": result.existing,
    }
    if result.without_deadline:
        codes = join_list(sorted(set(result.without_deadline)))
        message += " " + _(
            "以下指标没有提交时限，未生成任务：%(codes)s。请先在指标中填写提交时限。"
        ) % {"codes": codes}
    return {"created": result.created, "existing": result.existing, "message": message}
