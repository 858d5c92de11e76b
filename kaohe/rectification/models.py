"""Rectification (整改): problems found in an assessment, the unit's measures, the office's check."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from kaohe.common.models import TextGuardMixin, TimeStampedModel
from kaohe.common.uploads import random_name

from .choices import OPEN_STATUSES, ItemSource, ItemStatus


class RectificationItem(TimeStampedModel):
    """One problem a unit must rectify by a deadline; closed only by the office."""

    scheme = models.ForeignKey(
        "schemes.Scheme",
        verbose_name="方案",
        on_delete=models.CASCADE,
        related_name="rectification_items",
    )
    subject = models.ForeignKey(
        "schemes.Subject",
        verbose_name="整改单位",
        on_delete=models.CASCADE,
        related_name="rectification_items",
    )
    indicator = models.ForeignKey(
        "schemes.Indicator",
        verbose_name="相关指标",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    source = models.CharField("来源", max_length=16, choices=ItemSource.choices)
    source_ref = models.CharField("来源标识", max_length=64, blank=True)
    title = models.CharField("问题", max_length=255)
    description = models.TextField("问题描述", blank=True)
    deadline = models.DateField("整改期限")
    status = models.CharField(
        "状态", max_length=16, choices=ItemStatus.choices, default=ItemStatus.OPEN
    )
    measures = models.TextField("整改措施", blank=True)
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="核验人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    verified_at = models.DateTimeField("核验时间", null=True, blank=True)
    verify_comment = models.TextField("核验意见", blank=True)

    class Meta:
        ordering = ["deadline", "subject__order", "id"]
        verbose_name = "整改事项"
        verbose_name_plural = "整改事项"
        constraints = [
            models.UniqueConstraint(
                fields=["subject", "source", "source_ref"],
                condition=~models.Q(source_ref=""),
                name="rectification_source_unique",
            )
        ]

    def __str__(self):
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_overdue(self) -> bool:
        return self.is_open and self.deadline < timezone.localdate()


def evidence_upload_to(instance, filename):
    return random_name(f"rectification/{instance.item_id}", filename)


class Evidence(TextGuardMixin, models.Model):
    """A file proving a measure was taken; served only through an access-checked view."""

    item = models.ForeignKey(
        RectificationItem,
        verbose_name="整改事项",
        on_delete=models.CASCADE,
        related_name="evidence",
    )
    file = models.FileField("文件", upload_to=evidence_upload_to, max_length=255)
    original_name = models.CharField("原文件名", max_length=255)
    content_type = models.CharField("类型", max_length=128)
    size = models.PositiveIntegerField("大小")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = "整改佐证"
        verbose_name_plural = "整改佐证"

    def __str__(self):
        return self.original_name
