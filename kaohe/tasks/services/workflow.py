"""The task state machine: one transition helper, the editable check."""

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext

from kaohe.audit.services import audit_record
from kaohe.tasks import audit_actions

from ..choices import (
    EDITABLE_STATUSES,
)
from ..models import (
    Task,
    TaskTransition,
)

MAX_FILES_PER_TASK = 50


def _transition(task: Task, to: str, actor, comment: str = "") -> None:
    """Move the task and record who/when; the only place status changes."""
    now = timezone.now()
    TaskTransition.objects.create(
        task=task,
        from_status=task.status,
        to_status=to,
        actor=actor,
        at=now,
        on=timezone.localdate(now),
        comment=comment,
    )
    audit_record(
        action=audit_actions.TASK_TRANSITION,
        actor=actor,
        obj=task,
        scheme_id=task.scheme_id,
        before={"status": task.status},
        after={"status": to},
        message=comment[:500],
    )
    task.status = to
    task.status_changed_at = now
    task.save(update_fields=["status", "status_changed_at", "updated_at"])


def _editable(task: Task) -> None:
    if task.status not in EDITABLE_STATUSES:
        raise ValidationError(
            gettext("任务当前状态为「%(status)s」，材料已不能修改。")
            % {"status": task.get_status_display()}
        )
