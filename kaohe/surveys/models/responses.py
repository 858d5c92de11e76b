"""Anonymous answers. No account, address, user agent or time of day is stored with them.

A response's key is a random UUID (no sequence that tells the order of arrival) and it keeps
only the day. Submission marks (idempotency keys, device tokens) live in their own table and
point at nothing.
"""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from kaohe.common.models import TextGuardMixin

from ..choices import Channel, MarkKind


class Response(TextGuardMixin, models.Model):
    """One completed questionnaire for one subject."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survey = models.ForeignKey(
        "surveys.Survey", verbose_name=_("调查"), on_delete=models.CASCADE, related_name="responses"
    )
    target = models.ForeignKey(
        "surveys.SurveyTarget",
        verbose_name=_("单位"),
        on_delete=models.CASCADE,
        related_name="responses",
    )
    channel = models.CharField(_("渠道"), max_length=16, choices=Channel.choices)
    day = models.DateField(_("日期"))

    class Meta:
        ordering = ["survey", "day"]
        verbose_name = _("答卷")
        verbose_name_plural = _("答卷")

    def __str__(self):
        return f"{self.survey} · {self.day}"


class Answer(TextGuardMixin, models.Model):
    """One answer to one question (a multiple choice question has one row per option)."""

    response = models.ForeignKey(
        Response, verbose_name=_("答卷"), on_delete=models.CASCADE, related_name="answers"
    )
    question = models.ForeignKey(
        "surveys.Question", verbose_name=_("题目"), on_delete=models.PROTECT, related_name="answers"
    )
    choice = models.ForeignKey(
        "surveys.Choice",
        verbose_name=_("选项"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="answers",
    )
    text = models.TextField(_("填写内容"), blank=True)
    hidden = models.BooleanField(
        _("不在报告中显示"), default=False, help_text=_("考核办隐藏不当言辞；记录仍保留。")
    )

    class Meta:
        ordering = ["response", "question__order", "id"]
        verbose_name = _("答案")
        verbose_name_plural = _("答案")

    def __str__(self):
        return self.text[:40] if self.text else str(self.choice)


class SubmissionMark(TextGuardMixin, models.Model):
    """A used idempotency key or device token (a digest), so a retry never counts twice."""

    survey = models.ForeignKey("surveys.Survey", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=8, choices=MarkKind.choices)
    digest = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("提交标记")
        verbose_name_plural = _("提交标记")
        constraints = [
            models.UniqueConstraint(fields=["survey", "kind", "digest"], name="submission_mark")
        ]

    def __str__(self):
        return f"{self.kind}:{self.digest[:8]}"


class DuplicateBurst(TextGuardMixin, models.Model):
    """Identical answers arriving in a burst (counted in the cache, reported to the office)."""

    survey = models.ForeignKey(
        "surveys.Survey", verbose_name=_("调查"), on_delete=models.CASCADE, related_name="bursts"
    )
    target = models.ForeignKey(
        "surveys.SurveyTarget", verbose_name=_("单位"), on_delete=models.CASCADE, related_name="+"
    )
    signature = models.CharField(_("答案指纹"), max_length=64)
    day = models.DateField(_("日期"))
    window = models.CharField(_("时间窗口"), max_length=16)
    count = models.PositiveIntegerField(_("相同答卷数"), default=0)

    class Meta:
        ordering = ["-day", "window"]
        verbose_name = _("重复答卷提示")
        verbose_name_plural = _("重复答卷提示")
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "target", "signature", "day", "window"], name="burst_unique"
            )
        ]

    def __str__(self):
        return f"{self.target} {self.day} {self.window} ×{self.count}"
