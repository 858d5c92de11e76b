"""Tasks (indicator × responsible unit), their materials, submissions, reviews and reminders."""

from django.conf import settings
from django.db import models

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
        "schemes.Scheme", verbose_name="方案", on_delete=models.CASCADE, related_name="tasks"
    )
    indicator = models.ForeignKey(
        "schemes.Indicator", verbose_name="指标", on_delete=models.CASCADE, related_name="tasks"
    )
    unit = models.ForeignKey(
        "orgs.Unit", verbose_name="责任单位", on_delete=models.PROTECT, related_name="tasks"
    )
    materials = models.TextField("资料准备要求", blank=True)
    deadline = models.DateField("提交时限")
    status = models.CharField(
        "状态",
        max_length=16,
        choices=TaskStatus.choices,
        default=TaskStatus.NOT_STARTED,
        db_index=True,
    )
    special_form = models.CharField(
        "特殊表单", max_length=16, choices=SpecialForm.choices, default="", blank=True
    )
    nominee_count = models.PositiveSmallIntegerField("推荐人数/家数", default=0)
    nominee_level = models.CharField(
        "人员层级要求", max_length=16, choices=PersonLevel.choices, blank=True
    )
    min_section_level = models.PositiveSmallIntegerField("其中科级干部不少于", default=0)
    note = models.TextField("单位说明", blank=True)
    assigned_by = models.ForeignKey(
        USER,
        verbose_name="下达人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status_changed_at = models.DateTimeField("状态变更时间", null=True, blank=True)

    objects = TaskQuerySet.as_manager()

    class Meta:
        ordering = ["deadline", "indicator__code", "unit__path"]
        verbose_name = "任务"
        verbose_name_plural = "任务"
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


class TaskTransition(TextGuardMixin, models.Model):
    """One status change of a task: who, when, from, to, why."""

    task = models.ForeignKey(
        Task, verbose_name="任务", on_delete=models.CASCADE, related_name="transitions"
    )
    # TaskState: rows written before overdue became derived may still say "overdue".
    from_status = models.CharField("原状态", max_length=16, choices=TaskState.choices, blank=True)
    to_status = models.CharField("新状态", max_length=16, choices=TaskState.choices)
    actor = models.ForeignKey(
        USER,
        verbose_name="操作人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField("时间")
    on = models.DateField(
        "日期（本地）", db_index=True, help_text="按日统计用，免去数据库的时区换算。"
    )
    comment = models.TextField("说明", blank=True)

    class Meta:
        ordering = ["task", "at", "id"]
        verbose_name = "任务状态变更"
        verbose_name_plural = "任务状态变更"

    def __str__(self):
        return f"{self.task_id}: {self.from_status or '-'} → {self.to_status}"


class TaskFile(TimeStampedModel):
    """A file slot in a task's materials; replacing it adds a FileVersion, never overwrites."""

    task = models.ForeignKey(
        Task, verbose_name="任务", on_delete=models.CASCADE, related_name="files"
    )
    name = models.CharField("文件名", max_length=200)
    removed = models.BooleanField("已删除", default=False)

    class Meta:
        ordering = ["task", "id"]
        verbose_name = "材料文件"
        verbose_name_plural = "材料文件"

    def __str__(self):
        return self.name


def version_path(instance, filename: str) -> str:
    """Random stored names: the original name is kept in the row, never used as a path."""
    task = instance.task_file.task
    return random_name(f"tasks/{task.scheme_id}/{task.pk}", filename)


class FileVersion(TextGuardMixin, models.Model):
    """One uploaded version of a TaskFile, with its checksum and uploader."""

    task_file = models.ForeignKey(
        TaskFile, verbose_name="材料文件", on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField("版本")
    file = models.FileField("文件", upload_to=version_path, max_length=255)
    name = models.CharField("文件名", max_length=200)
    kind = models.CharField("类型", max_length=8)
    size = models.PositiveBigIntegerField("大小（字节）")
    sha256 = models.CharField("SHA-256", max_length=64)
    uploaded_by = models.ForeignKey(
        USER, verbose_name="上传人", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField("上传时间")

    class Meta:
        ordering = ["task_file", "number"]
        verbose_name = "文件版本"
        verbose_name_plural = "文件版本"
        constraints = [
            models.UniqueConstraint(fields=["task_file", "number"], name="file_version_unique")
        ]

    def __str__(self):
        return f"{self.name} v{self.number}"


class Submission(TextGuardMixin, models.Model):
    """One submission of a task's materials and the office's decision on it."""

    task = models.ForeignKey(
        Task, verbose_name="任务", on_delete=models.CASCADE, related_name="submissions"
    )
    number = models.PositiveIntegerField("提交次序")
    description = models.TextField("提交说明", blank=True)
    versions = models.ManyToManyField(FileVersion, verbose_name="提交的文件版本", related_name="+")
    nominees = models.JSONField("推荐名单快照", default=list, blank=True)
    submitted_by = models.ForeignKey(
        USER, verbose_name="提交人", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField("提交时间")
    decision = models.CharField(
        "审核结果", max_length=16, choices=ReviewDecision.choices, default="", blank=True
    )
    review_comment = models.TextField("审核意见", blank=True)
    reviewed_by = models.ForeignKey(
        USER,
        verbose_name="审核人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField("审核时间", null=True, blank=True)

    class Meta:
        ordering = ["task", "number"]
        verbose_name = "提交记录"
        verbose_name_plural = "提交记录"
        constraints = [
            models.UniqueConstraint(fields=["task", "number"], name="submission_number_unique")
        ]

    def __str__(self):
        return f"{self.task} 第{self.number}次提交"


class Nominee(TextGuardMixin, models.Model):
    """A person (from the unit's staff) or an enterprise a task's nomination list names."""

    task = models.ForeignKey(
        Task, verbose_name="任务", on_delete=models.CASCADE, related_name="nominees"
    )
    person = models.ForeignKey(
        "orgs.Person",
        verbose_name="人员",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    enterprise_name = models.CharField("企业名称", max_length=128, blank=True)
    credit_code = models.CharField("统一社会信用代码", max_length=18, blank=True)
    contact = models.CharField("联系人及电话", max_length=128, blank=True)
    order = models.PositiveSmallIntegerField("序号", default=0)

    class Meta:
        ordering = ["task", "order", "id"]
        verbose_name = "推荐名单"
        verbose_name_plural = "推荐名单"

    def __str__(self):
        return str(self.person) if self.person_id else self.enterprise_name


class ExtensionRequest(TextGuardMixin, models.Model):
    """A unit's request for a later deadline; both deadlines stay on record."""

    task = models.ForeignKey(
        Task, verbose_name="任务", on_delete=models.CASCADE, related_name="extensions"
    )
    reason = models.TextField("申请理由")
    old_deadline = models.DateField("原截止日期")
    requested_deadline = models.DateField("申请延期至")
    status = models.CharField(
        "状态", max_length=16, choices=ExtensionStatus.choices, default=ExtensionStatus.PENDING
    )
    requested_by = models.ForeignKey(
        USER, verbose_name="申请人", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField("申请时间")
    decided_by = models.ForeignKey(
        USER,
        verbose_name="审批人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField("审批时间", null=True, blank=True)
    new_deadline = models.DateField("批准后截止日期", null=True, blank=True)
    decision_comment = models.TextField("审批意见", blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = "延期申请"
        verbose_name_plural = "延期申请"

    def __str__(self):
        return f"{self.task} 延期至 {self.requested_deadline}"


class Reminder(TextGuardMixin, models.Model):
    """A reminder that went out; the unique key makes send_reminders idempotent."""

    task = models.ForeignKey(
        Task, verbose_name="任务", on_delete=models.CASCADE, related_name="reminders"
    )
    kind = models.CharField("类型", max_length=16, choices=ReminderKind.choices)
    deadline = models.DateField("针对的截止日期")
    sent_at = models.DateTimeField("发送时间")
    recipients = models.TextField("收件人", blank=True)

    class Meta:
        ordering = ["-sent_at"]
        verbose_name = "提醒记录"
        verbose_name_plural = "提醒记录"
        constraints = [
            models.UniqueConstraint(fields=["task", "kind", "deadline"], name="reminder_once")
        ]

    def __str__(self):
        return f"{self.task} · {self.get_kind_display()}"
