"""Tasks (indicator × responsible unit), their materials, submissions, reviews and reminders."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from kaohe.common.models import TextGuardMixin, TimeStampedModel
from kaohe.common.uploads import random_name
from kaohe.orgs.choices import PersonLevel

from .choices import (
    ExtensionStatus,
    ReminderKind,
    ReviewDecision,
    SpecialForm,
    TaskState,
    TaskStatus,
)

USER = settings.AUTH_USER_MODEL


class TaskQuerySet(models.QuerySet):
    """Task lists with the derived state (overdue is computed when read, never stored)."""

    def overdue(self, today=None):
        from .overdue import overdue_q

        return self.filter(overdue_q(today))

    def with_state(self, today=None):
        from .overdue import state_annotations

        return self.annotate(**state_annotations(today))

    def in_state(self, state: str, today=None):
        """Filter on what the task shows: a stored status, or "overdue"."""
        if not state:
            return self
        qs = self if "state" in self.query.annotations else self.with_state(today)
        return qs.filter(state=state)


class Task(TimeStampedModel):
    """What one responsible unit must prepare for one indicator, by a deadline."""

    scheme = models.ForeignKey(
        "schemes.Scheme", verbose_name=_("方案"), on_delete=models.CASCADE, related_name="tasks"
    )
    indicator = models.ForeignKey(
        "schemes.Indicator", verbose_name=_("指标"), on_delete=models.CASCADE, related_name="tasks"
    )
    unit = models.ForeignKey(
        "orgs.Unit", verbose_name=_("责任单位"), on_delete=models.PROTECT, related_name="tasks"
    )
    materials = models.TextField(_("资料准备要求"), blank=True)
    deadline = models.DateField(_("提交时限"))
    status = models.CharField(
        _("状态"),
        max_length=16,
        choices=TaskStatus.choices,
        default=TaskStatus.NOT_STARTED,
        db_index=True,
    )
    special_form = models.CharField(
        _("特殊表单"), max_length=16, choices=SpecialForm.choices, default="", blank=True
    )
    nominee_count = models.PositiveSmallIntegerField(_("推荐人数/家数"), default=0)
    nominee_level = models.CharField(
        _("人员层级要求"), max_length=16, choices=PersonLevel.choices, blank=True
    )
    min_section_level = models.PositiveSmallIntegerField(_("其中科级干部不少于"), default=0)
    note = models.TextField(_("单位说明"), blank=True)
    assigned_by = models.ForeignKey(
        USER,
        verbose_name=_("下达人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status_changed_at = models.DateTimeField(_("状态变更时间"), null=True, blank=True)

    objects = TaskQuerySet.as_manager()

    class Meta:
        ordering = ["deadline", "indicator__code", "unit__path"]
        verbose_name = _("任务")
        verbose_name_plural = _("任务")
        constraints = [
            models.UniqueConstraint(fields=["indicator", "unit"], name="task_indicator_unit_unique")
        ]
        indexes = [
            models.Index(fields=["scheme", "status"]),
            models.Index(fields=["unit", "status"]),
        ]

    def __str__(self):
        return f"{self.indicator.code} · {self.unit}"

    @property
    def current_state(self) -> str:
        """The status, or "overdue" (from the `with_state` annotation when there is one)."""
        from .overdue import state_of

        return getattr(self, "state", None) or state_of(self)

    @property
    def late(self) -> bool:
        return self.current_state == TaskState.OVERDUE

    @property
    def state_label(self) -> str:
        return TaskState(self.current_state).label

    @property
    def rule_text(self) -> str:
        from .rules import rule_text

        return rule_text(self)


# Comments the system writes on a transition (stored in Chinese, shown translated).
COMMENT_ASSIGNED = gettext_noop("任务下达")
COMMENT_UPLOADED = gettext_noop("上传材料")
COMMENT_NOMINEES = gettext_noop("填写推荐名单")
SYSTEM_COMMENTS = frozenset({COMMENT_ASSIGNED, COMMENT_UPLOADED, COMMENT_NOMINEES})


class TaskTransition(TextGuardMixin, models.Model):
    """One status change of a task: who, when, from, to, why."""

    task = models.ForeignKey(
        Task, verbose_name=_("任务"), on_delete=models.CASCADE, related_name="transitions"
    )
    # TaskState: rows written before overdue became derived may still say "overdue".
    from_status = models.CharField(
        _("原状态"), max_length=16, choices=TaskState.choices, blank=True
    )
    to_status = models.CharField(_("新状态"), max_length=16, choices=TaskState.choices)
    actor = models.ForeignKey(
        USER,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField(_("时间"))
    on = models.DateField(
        _("日期（本地）"), db_index=True, help_text=_("按日统计用，免去数据库的时区换算。")
    )
    comment = models.TextField(_("说明"), blank=True)

    class Meta:
        ordering = ["task", "at", "id"]
        verbose_name = _("任务状态变更")
        verbose_name_plural = _("任务状态变更")

    def __str__(self):
        return f"{self.task_id}: {self.from_status or '-'} → {self.to_status}"

    @property
    def comment_display(self) -> str:
        """The comment as shown: the system's own stock comments in the reader's language."""
        return gettext(self.comment) if self.comment in SYSTEM_COMMENTS else self.comment


class TaskFile(TimeStampedModel):
    """A file slot in a task's materials; replacing it adds a FileVersion, never overwrites."""

    task = models.ForeignKey(
        Task, verbose_name=_("任务"), on_delete=models.CASCADE, related_name="files"
    )
    name = models.CharField(_("文件名"), max_length=200)
    removed = models.BooleanField(_("已删除"), default=False)

    class Meta:
        ordering = ["task", "id"]
        verbose_name = _("材料文件")
        verbose_name_plural = _("材料文件")

    def __str__(self):
        return self.name


def version_path(instance, filename: str) -> str:
    """Random stored names: the original name is kept in the row, never used as a path."""
    task = instance.task_file.task
    return random_name(f"tasks/{task.scheme_id}/{task.pk}", filename)


class FileVersion(TextGuardMixin, models.Model):
    """One uploaded version of a TaskFile, with its checksum and uploader."""

    task_file = models.ForeignKey(
        TaskFile, verbose_name=_("材料文件"), on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField(_("版本"))
    file = models.FileField(_("文件"), upload_to=version_path, max_length=255)
    name = models.CharField(_("文件名"), max_length=200)
    kind = models.CharField(_("类型"), max_length=8)
    size = models.PositiveBigIntegerField(_("大小（字节）"))
    sha256 = models.CharField("SHA-256", max_length=64)
    uploaded_by = models.ForeignKey(
        USER, verbose_name=_("上传人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("上传时间"))

    class Meta:
        ordering = ["task_file", "number"]
        verbose_name = _("文件版本")
        verbose_name_plural = _("文件版本")
        constraints = [
            models.UniqueConstraint(fields=["task_file", "number"], name="file_version_unique")
        ]

    def __str__(self):
        return f"{self.name} v{self.number}"


class Submission(TextGuardMixin, models.Model):
    """One submission of a task's materials and the office's decision on it."""

    task = models.ForeignKey(
        Task, verbose_name=_("任务"), on_delete=models.CASCADE, related_name="submissions"
    )
    number = models.PositiveIntegerField(_("提交次序"))
    description = models.TextField(_("提交说明"), blank=True)
    versions = models.ManyToManyField(
        FileVersion, verbose_name=_("提交的文件版本"), related_name="+"
    )
    nominees = models.JSONField(_("推荐名单快照"), default=list, blank=True)
    submitted_by = models.ForeignKey(
        USER, verbose_name=_("提交人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(_("提交时间"))
    decision = models.CharField(
        _("审核结果"), max_length=16, choices=ReviewDecision.choices, default="", blank=True
    )
    review_comment = models.TextField(_("审核意见"), blank=True)
    reviewed_by = models.ForeignKey(
        USER,
        verbose_name=_("审核人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)

    class Meta:
        ordering = ["task", "number"]
        verbose_name = _("提交记录")
        verbose_name_plural = _("提交记录")
        constraints = [
            models.UniqueConstraint(fields=["task", "number"], name="submission_number_unique")
        ]

    def __str__(self):
        return f"{self.task} 第{self.number}次提交"


class Nominee(TextGuardMixin, models.Model):
    """A person (from the unit's staff) or an enterprise a task's nomination list names."""

    task = models.ForeignKey(
        Task, verbose_name=_("任务"), on_delete=models.CASCADE, related_name="nominees"
    )
    person = models.ForeignKey(
        "orgs.Person",
        verbose_name=_("人员"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    enterprise_name = models.CharField(_("企业名称"), max_length=128, blank=True)
    credit_code = models.CharField(_("统一社会信用代码"), max_length=18, blank=True)
    contact = models.CharField(_("联系人及电话"), max_length=128, blank=True)
    order = models.PositiveSmallIntegerField(_("序号"), default=0)

    class Meta:
        ordering = ["task", "order", "id"]
        verbose_name = _("推荐名单")
        verbose_name_plural = _("推荐名单")

    def __str__(self):
        return str(self.person) if self.person_id else self.enterprise_name


class ExtensionRequest(TextGuardMixin, models.Model):
    """A unit's request for a later deadline; both deadlines stay on record."""

    task = models.ForeignKey(
        Task, verbose_name=_("任务"), on_delete=models.CASCADE, related_name="extensions"
    )
    reason = models.TextField(_("申请理由"))
    old_deadline = models.DateField(_("原截止日期"))
    requested_deadline = models.DateField(_("申请延期至"))
    status = models.CharField(
        _("状态"), max_length=16, choices=ExtensionStatus.choices, default=ExtensionStatus.PENDING
    )
    requested_by = models.ForeignKey(
        USER, verbose_name=_("申请人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(_("申请时间"))
    decided_by = models.ForeignKey(
        USER,
        verbose_name=_("审批人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    new_deadline = models.DateField(_("批准后截止日期"), null=True, blank=True)
    decision_comment = models.TextField(_("审批意见"), blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("延期申请")
        verbose_name_plural = _("延期申请")

    def __str__(self):
        return f"{self.task} 延期至 {self.requested_deadline}"


class Reminder(TextGuardMixin, models.Model):
    """A reminder that went out; the unique key makes send_reminders idempotent."""

    task = models.ForeignKey(
        Task, verbose_name=_("任务"), on_delete=models.CASCADE, related_name="reminders"
    )
    kind = models.CharField(_("类型"), max_length=16, choices=ReminderKind.choices)
    deadline = models.DateField(_("针对的截止日期"))
    sent_at = models.DateTimeField(_("发送时间"))
    recipients = models.TextField(_("收件人"), blank=True)

    class Meta:
        ordering = ["-sent_at"]
        verbose_name = _("提醒记录")
        verbose_name_plural = _("提醒记录")
        constraints = [
            models.UniqueConstraint(fields=["task", "kind", "deadline"], name="reminder_once")
        ]

    def __str__(self):
        return f"{self.task} · {self.get_kind_display()}"
