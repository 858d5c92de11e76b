"""One row per enqueued background task: status, attempts, progress and outcome.

The row lives in the database so every app server and every worker sees the same state;
the queue (huey on SQLite or Redis) only carries the row's id.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kaohe.common.models import TextGuardMixin

from .choices import RunStatus


class BackgroundRun(TextGuardMixin, models.Model):
    """A task enqueued through django-tasks and run by a worker (or in-process in tests)."""

    task_path = models.CharField(_("任务"), max_length=200)
    args = models.JSONField(_("位置参数"), default=list)
    kwargs = models.JSONField(_("关键字参数"), default=dict)
    queue_name = models.CharField(_("队列"), max_length=50, default="default")
    status = models.CharField(
        _("状态"), max_length=12, choices=RunStatus.choices, default=RunStatus.READY
    )
    ref = models.CharField(_("关联对象"), max_length=100, blank=True, db_index=True)
    # Who started it from a page: only they see its progress (background/views.py).
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发起人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # A periodic slot ("reminders@2026-12-01T08:00") is enqueued once however many workers run.
    dedupe_key = models.CharField(_("去重键"), max_length=150, null=True, blank=True, unique=True)
    attempts = models.PositiveIntegerField(_("已尝试次数"), default=0)
    worker_id = models.CharField(_("工作进程"), max_length=100, blank=True)
    phase = models.CharField(_("阶段"), max_length=50, blank=True)
    done = models.PositiveIntegerField(_("已完成"), default=0)
    total = models.PositiveIntegerField(_("总数"), default=0)
    message = models.TextField(_("说明"), blank=True)
    result = models.JSONField(_("结果"), null=True, blank=True)
    error = models.TextField(_("错误详情"), blank=True)
    enqueued_at = models.DateTimeField(_("入队时间"), auto_now_add=True)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("最近心跳"), null=True, blank=True)
    finished_at = models.DateTimeField(_("结束时间"), null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("后台任务")
        verbose_name_plural = _("后台任务")
        indexes = [models.Index(fields=["status", "heartbeat_at"], name="bgrun_status_beat")]

    def __str__(self):
        return f"{self.task_path}#{self.pk} {self.status}"
