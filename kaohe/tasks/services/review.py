"""Submission and review of a task's materials."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from ..choices import (
    AWAITING_REVIEW,
    ReviewDecision,
    SpecialForm,
    TaskStatus,
)
from ..models import (
    Submission,
    Task,
)
from ..notify import notify_unit
from ..rules import check_enterprises, check_people
from .materials import _live_versions, _nominee_json, _pending_submission
from .workflow import _transition

# --- submission and review ---------------------------------------------------------------


@transaction.atomic
def task_submit(*, task: Task, actor, description: str = "") -> Submission:
    """Submit the current materials for review (again, after a return)."""
    task = Task.objects.select_for_update().get(pk=task.pk)
    if task.status in AWAITING_REVIEW:
        raise ValidationError(gettext("材料已提交，正在等待审核。"))
    if task.status == TaskStatus.ACCEPTED:
        raise ValidationError(gettext("任务已通过审核，不能再次提交。"))
    versions = _live_versions(task)
    nominees = [_nominee_json(n) for n in task.nominees.select_related("person")]
    if task.special_form:
        problems = (
            check_people(task, [n.person for n in task.nominees.select_related("person")])
            if task.special_form == SpecialForm.PEOPLE
            else check_enterprises(
                task,
                [
                    {"enterprise_name": n["enterprise"], "credit_code": n["credit_code"]}
                    for n in nominees
                ],
            )
        )
        if problems:
            raise ValidationError(problems)
    elif not versions:
        raise ValidationError(gettext("请先上传材料文件再提交。"))
    before = task.submissions.count()
    submission = Submission.objects.create(
        task=task,
        number=before + 1,
        description=description.strip(),
        nominees=nominees,
        submitted_by=actor,
        submitted_at=timezone.now(),
    )
    submission.versions.set(versions)
    task.note = description.strip()
    task.save(update_fields=["note", "updated_at"])
    to = TaskStatus.RESUBMITTED if before else TaskStatus.SUBMITTED
    _transition(task, to, actor, description.strip())
    return submission


@transaction.atomic
def task_review(*, task: Task, actor, accept: bool, comment: str = "") -> Submission:
    """Accept or return the pending submission; a return needs a comment for the unit."""
    task = Task.objects.select_for_update().get(pk=task.pk)
    submission = _pending_submission(task)
    if submission is None:
        raise ValidationError(
            gettext("任务当前状态为「%(status)s」，没有待审核的提交。")
            % {"status": task.get_status_display()}
        )
    comment = comment.strip()
    if not accept and not comment:
        raise ValidationError(
            {"comment": gettext("退回时必须填写审核意见，说明需要补充或修改的内容。")}
        )
    submission.decision = ReviewDecision.ACCEPTED if accept else ReviewDecision.RETURNED
    submission.review_comment = comment
    submission.reviewed_by = actor
    submission.reviewed_at = timezone.now()
    submission.save()
    _transition(task, TaskStatus.ACCEPTED if accept else TaskStatus.RETURNED, actor, comment)
    verb = "已通过审核" if accept else "被退回，请按意见修改后重新提交"
    notify_unit(task=task, title=f"任务「{task.indicator.name}」{verb}", body=comment)
    return submission
