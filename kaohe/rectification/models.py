"""Rectification (整改): problems found in an assessment, the unit's measures, the office's check."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kaohe.common.models import TextGuardMixin, TimeStampedModel
from kaohe.common.uploads import random_name

from .choices import OPEN_STATUSES, ItemSource, ItemStatus


class RectificationItem(TimeStampedModel):
    """One problem a unit must rectify by a deadline; closed only by the office."""

    scheme = models.ForeignKey(
        "schemes.Scheme",
        verbose_name=_("方案"),
        on_delete=models.CASCADE,
        related_name="rectification_items",
    )
    subject = models.ForeignKey(
        "schemes.Subject",
        verbose_name=_("整改单位"),
        on_delete=models.CASCADE,
        related_name="rectification_items",
    )
    indicator = models.ForeignKey(
        "schemes.Indicator",
        verbose_name=_("相关指标"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    source = models.CharField(_("来源"), max_length=16, choices=ItemSource.choices)
    source_ref = models.CharField(_("来源标识"), max_length=64, blank=True)
    title = models.CharField(_("问题"), max_length=255)
    description = models.TextField(_("问题描述"), blank=True)
    deadline = models.DateField(_("整改期限"))
    status = models.CharField(
        _("状态"), max_length=16, choices=ItemStatus.choices, default=ItemStatus.OPEN
    )
    measures = models.TextField(_("整改措施"), blank=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("核验人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    verified_at = models.DateTimeField(_("核验时间"), null=True, blank=True)
    verify_comment = models.TextField(_("核验意见"), blank=True)

    class Meta:
        ordering = ["deadline", "subject__order", "id"]
        verbose_name = _("整改事项")
        verbose_name_plural = _("整改事项")
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
        verbose_name=_("整改事项"),
        on_delete=models.CASCADE,
        related_name="evidence",
    )
    file = models.FileField(_("文件"), upload_to=evidence_upload_to, max_length=255)
    original_name = models.CharField(_("原文件名"), max_length=255)
    content_type = models.CharField(_("类型"), max_length=128)
    size = models.PositiveIntegerField(_("大小"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("整改佐证")
        verbose_name_plural = _("整改佐证")

    def __str__(self):
        return self.original_name
