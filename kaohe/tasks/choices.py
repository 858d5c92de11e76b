from django.db import models
from django.utils.translation import gettext_lazy as _


class TaskStatus(models.TextChoices):
    """Where a task stands; every change is a TaskTransition row. Overdue is not stored."""

    NOT_STARTED = "not_started", _("未开始")
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已提交")
    RETURNED = "returned", _("已退回")
    RESUBMITTED = "resubmitted", _("已重新提交")
    ACCEPTED = "accepted", _("已通过")


class TaskState(models.TextChoices):
    """What a task shows: its stored status, or 已逾期 computed when read (see overdue.py)."""

    NOT_STARTED = TaskStatus.NOT_STARTED.value, TaskStatus.NOT_STARTED.label
    DRAFT = TaskStatus.DRAFT.value, TaskStatus.DRAFT.label
    SUBMITTED = TaskStatus.SUBMITTED.value, TaskStatus.SUBMITTED.label
    RETURNED = TaskStatus.RETURNED.value, TaskStatus.RETURNED.label
    RESUBMITTED = TaskStatus.RESUBMITTED.value, TaskStatus.RESUBMITTED.label
    ACCEPTED = TaskStatus.ACCEPTED.value, TaskStatus.ACCEPTED.label
    OVERDUE = "overdue", _("已逾期")


# The unit may still change its materials (before review); accepted is final.
EDITABLE_STATUSES = (
    TaskStatus.NOT_STARTED,
    TaskStatus.DRAFT,
    TaskStatus.SUBMITTED,
    TaskStatus.RESUBMITTED,
    TaskStatus.RETURNED,
)
AWAITING_REVIEW = (TaskStatus.SUBMITTED, TaskStatus.RESUBMITTED)
# Open tasks are overdue while their deadline (extensions move it) has passed.
OVERDUE_FROM = (TaskStatus.NOT_STARTED, TaskStatus.DRAFT, TaskStatus.RETURNED)
# The columns of the progress board, in order.
BOARD_COLUMNS = [
    TaskState.NOT_STARTED,
    TaskState.DRAFT,
    TaskState.SUBMITTED,
    TaskState.RESUBMITTED,
    TaskState.RETURNED,
    TaskState.ACCEPTED,
    TaskState.OVERDUE,
]


class SpecialForm(models.TextChoices):
    """Structured materials a task asks for besides files (seed 000's nomination lists)."""

    NONE = "", _("无")
    PEOPLE = "people", _("人员推荐名单")
    ENTERPRISE = "enterprise", _("企业推荐名单")


class ExtensionStatus(models.TextChoices):
    PENDING = "pending", _("待审批")
    APPROVED = "approved", _("已批准")
    REFUSED = "refused", _("未批准")


class ReviewDecision(models.TextChoices):
    PENDING = "", _("待审核")
    ACCEPTED = "accepted", _("通过")
    RETURNED = "returned", _("退回")


class ReminderKind(models.TextChoices):
    ASSIGNED = "assigned", _("任务下达")
    DUE_7 = "due_7", _("截止前7天")
    DUE_1 = "due_1", _("截止前1天")
    OVERDUE = "overdue", _("已逾期")
