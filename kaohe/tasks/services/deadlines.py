"""Deadlines: extension requests and decisions, bulk upload, inbox (overdue is derived)."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from kaohe.audit.services import audit_record
from kaohe.common.uploads import MATERIALS, check_uploads
from kaohe.tasks import audit_actions

from ..choices import (
    ExtensionStatus,
    TaskStatus,
)
from ..models import (
    ExtensionRequest,
    FileVersion,
    Task,
)
from ..notify import notify_unit
from .materials import material_upload

# --- deadlines ---------------------------------------------------------------------------


@transaction.atomic
def extension_request(
    *, task: Task, actor, reason: str, requested_deadline: date
) -> ExtensionRequest:
    task = Task.objects.select_for_update().get(pk=task.pk)
    if task.status == TaskStatus.ACCEPTED:
        raise ValidationError(gettext("任务已通过审核，无需延期。"))
    if not reason.strip():
        raise ValidationError({"reason": gettext("请填写延期理由。")})
    if requested_deadline <= task.deadline:
        raise ValidationError(
            {
                "requested_deadline": gettext("申请的日期须晚于当前截止日期 %(date)s。")
                % {"date": task.deadline}
            }
        )
    if task.extensions.filter(status=ExtensionStatus.PENDING).exists():
        raise ValidationError(gettext("已有一项延期申请正在审批中。"))
    extension = ExtensionRequest.objects.create(
        task=task,
        reason=reason.strip(),
        old_deadline=task.deadline,
        requested_deadline=requested_deadline,
        requested_by=actor,
        requested_at=timezone.now(),
    )
    audit_record(
        action=audit_actions.TASK_EXTENSION_REQUEST,
        actor=actor,
        obj=extension,
        scheme_id=task.scheme_id,
        after={
            "task": task.pk,
            "old": task.deadline,
            "requested": requested_deadline,
            "reason": reason,
        },
    )
    return extension


@transaction.atomic
def extension_decide(
    *,
    extension: ExtensionRequest,
    actor,
    approve: bool,
    comment: str = "",
    new_deadline: date | None = None,
) -> ExtensionRequest:
    """Approve (optionally to another date) or refuse; the new deadline ends overdue by itself."""
    extension = ExtensionRequest.objects.select_for_update().get(pk=extension.pk)
    if extension.status != ExtensionStatus.PENDING:
        raise ValidationError(gettext("该延期申请已经审批过。"))
    task = Task.objects.select_for_update().get(pk=extension.task_id)
    if approve:
        new_deadline = new_deadline or extension.requested_deadline
        if new_deadline <= extension.old_deadline:
            raise ValidationError({"new_deadline": gettext("批准的日期须晚于原截止日期。")})
        extension.new_deadline = new_deadline
        task.deadline = new_deadline
        task.save(update_fields=["deadline", "updated_at"])  # overdue follows the deadline
    extension.status = ExtensionStatus.APPROVED if approve else ExtensionStatus.REFUSED
    extension.decided_by = actor
    extension.decided_at = timezone.now()
    extension.decision_comment = comment.strip()
    extension.save()
    audit_record(
        action=audit_actions.TASK_EXTENSION_APPROVE
        if approve
        else audit_actions.TASK_EXTENSION_REFUSE,
        actor=actor,
        obj=extension,
        scheme_id=task.scheme_id,
        before={"deadline": extension.old_deadline},
        after={"deadline": task.deadline, "comment": comment},
    )
    words = f"已批准，新的截止日期为 {new_deadline}" if approve else "未获批准"
    notify_unit(task=task, title=f"任务「{task.indicator.name}」的延期申请{words}", body=comment)
    return extension


@transaction.atomic
def materials_upload(*, task: Task, uploads: list, actor) -> list[FileVersion]:
    """Several files at once, all or nothing: every file is checked before any is stored."""
    if not uploads:
        raise ValidationError(gettext("请选择要上传的文件。"))
    check_uploads(uploads, MATERIALS)  # every file refused or none
    return [material_upload(task=task, upload=u, actor=actor) for u in uploads]
