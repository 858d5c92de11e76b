"""Publishing results: freeze snapshots, objections (复核), notifications, the results notice."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kaohe.common.models import TextGuardMixin, TimeStampedModel
from kaohe.common.uploads import random_name

from .choices import NoticeOrder, ObjectionStatus

SCORE_DIGITS = {"max_digits": 8, "decimal_places": 2}


class ResultSnapshot(TextGuardMixin, models.Model):
    """Results as they stood when the office froze them (kept for comparison after objections)."""

    scheme = models.ForeignKey(
        "schemes.Scheme", verbose_name=_("方案"), on_delete=models.CASCADE, related_name="+"
    )
    reason = models.CharField(_("原因"), max_length=64)
    data = models.JSONField(_("结果数据"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("结果快照")
        verbose_name_plural = _("结果快照")

    def __str__(self):
        return f"{self.scheme_id} {self.reason} {self.created_at:%Y-%m-%d %H:%M}"


class Objection(TimeStampedModel):
    """A unit's request for review (复核申请) of one item of its results during publicity."""

    scheme = models.ForeignKey(
        "schemes.Scheme",
        verbose_name=_("方案"),
        on_delete=models.CASCADE,
        related_name="objections",
    )
    subject = models.ForeignKey(
        "schemes.Subject",
        verbose_name=_("考核对象"),
        on_delete=models.CASCADE,
        related_name="objections",
    )
    indicator = models.ForeignKey(
        "schemes.Indicator",
        verbose_name=_("异议指标（空为总分/等次）"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    text = models.TextField(_("异议理由"))
    status = models.CharField(
        _("状态"), max_length=16, choices=ObjectionStatus.choices, default=ObjectionStatus.PENDING
    )
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("提交人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("复核人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("复核时间"), null=True, blank=True)
    decision_text = models.TextField(_("复核意见"), blank=True)
    old_value = models.DecimalField(_("原得分"), null=True, blank=True, **SCORE_DIGITS)
    new_value = models.DecimalField(_("调整后得分"), null=True, blank=True, **SCORE_DIGITS)
    rank_before = models.PositiveIntegerField(_("复核前名次"), null=True, blank=True)
    rank_after = models.PositiveIntegerField(_("复核后名次"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("复核申请")
        verbose_name_plural = _("复核申请")

    def __str__(self):
        return gettext("复核申请 #%(pk)s（%(subject)s）") % {"pk": self.pk, "subject": self.subject}


def objection_upload_to(instance, filename):
    return random_name(f"publishing/objections/{instance.objection_id}", filename)


class ObjectionFile(TextGuardMixin, models.Model):
    """Supporting material attached to an objection; served only through an access-checked view."""

    objection = models.ForeignKey(
        Objection, verbose_name=_("复核申请"), on_delete=models.CASCADE, related_name="files"
    )
    file = models.FileField(_("文件"), upload_to=objection_upload_to, max_length=255)
    original_name = models.CharField(_("原文件名"), max_length=255)
    content_type = models.CharField(_("类型"), max_length=128)
    size = models.PositiveIntegerField(_("大小"))
    created_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("复核材料")
        verbose_name_plural = _("复核材料")

    def __str__(self):
        return self.original_name


def notice_upload_to(instance, filename):
    return random_name(f"publishing/notices/{instance.scheme_id}", filename)


class Notice(TimeStampedModel):
    """The results notice (通报) of a scheme: header facts and the editable narrative."""

    scheme = models.OneToOneField(
        "schemes.Scheme", verbose_name=_("方案"), on_delete=models.CASCADE, related_name="notice"
    )
    issuing_office = models.CharField(_("发文机关"), max_length=128)
    doc_number = models.CharField(_("发文字号"), max_length=64, blank=True)
    title = models.CharField(_("标题"), max_length=200)
    addressees = models.TextField(_("主送机关"))
    intro = models.TextField(_("导语"), blank=True)
    organisation = models.TextField(_("考核组织实施情况"), blank=True)
    achievements = models.TextField(_("工作主要成效"), blank=True)
    problems = models.TextField(_("存在问题"), blank=True)
    requirements = models.TextField(_("下一步工作要求"), blank=True)
    closing = models.TextField(_("结束语"), blank=True)
    order = models.CharField(
        _("等次名单排序"), max_length=16, choices=NoticeOrder.choices, default=NoticeOrder.OFFICIAL
    )
    signature = models.CharField(_("落款"), max_length=128, blank=True)
    issue_date = models.DateField(_("成文日期"), null=True, blank=True)
    printer = models.CharField(_("印发机关"), max_length=128, blank=True)
    print_date = models.DateField(_("印发日期"), null=True, blank=True)
    template = models.FileField(
        _("自定义 Word 模板（docxtpl）"), upload_to=notice_upload_to, blank=True, max_length=255
    )
    published_file = models.FileField(
        _("已发布通报"), upload_to=notice_upload_to, blank=True, max_length=255
    )
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("结果通报")
        verbose_name_plural = _("结果通报")

    def __str__(self):
        return self.title
