"""Publishing results: freeze snapshots, objections (复核), notifications, the results notice."""

from django.conf import settings
from django.db import models

from kaohe.common.models import TextGuardMixin, TimeStampedModel
from kaohe.common.uploads import random_name

from .choices import NoticeOrder, ObjectionStatus

SCORE_DIGITS = {"max_digits": 8, "decimal_places": 2}


class ResultSnapshot(TextGuardMixin, models.Model):
    """Results as they stood when the office froze them (kept for comparison after objections)."""

    scheme = models.ForeignKey(
        "schemes.Scheme", verbose_name="方案", on_delete=models.CASCADE, related_name="+"
    )
    reason = models.CharField("原因", max_length=64)
    data = models.JSONField("结果数据")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "结果快照"
        verbose_name_plural = "结果快照"

    def __str__(self):
        return f"{self.scheme_id} {self.reason} {self.created_at:%Y-%m-%d %H:%M}"


class Objection(TimeStampedModel):
    """A unit's request for review (复核申请) of one item of its results during publicity."""

    scheme = models.ForeignKey(
        "schemes.Scheme", verbose_name="方案", on_delete=models.CASCADE, related_name="objections"
    )
    subject = models.ForeignKey(
        "schemes.Subject",
        verbose_name="考核对象",
        on_delete=models.CASCADE,
        related_name="objections",
    )
    indicator = models.ForeignKey(
        "schemes.Indicator",
        verbose_name="异议指标（空为总分/等次）",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    text = models.TextField("异议理由")
    status = models.CharField(
        "状态", max_length=16, choices=ObjectionStatus.choices, default=ObjectionStatus.PENDING
    )
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="提交人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="复核人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField("复核时间", null=True, blank=True)
    decision_text = models.TextField("复核意见", blank=True)
    old_value = models.DecimalField("原得分", null=True, blank=True, **SCORE_DIGITS)
    new_value = models.DecimalField("调整后得分", null=True, blank=True, **SCORE_DIGITS)
    rank_before = models.PositiveIntegerField("复核前名次", null=True, blank=True)
    rank_after = models.PositiveIntegerField("复核后名次", null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "复核申请"
        verbose_name_plural = "复核申请"

    def __str__(self):
        return f"复核申请 #{self.pk}（{self.subject}）"


def objection_upload_to(instance, filename):
    return random_name(f"publishing/objections/{instance.objection_id}", filename)


class ObjectionFile(TextGuardMixin, models.Model):
    """Supporting material attached to an objection; served only through an access-checked view."""

    objection = models.ForeignKey(
        Objection, verbose_name="复核申请", on_delete=models.CASCADE, related_name="files"
    )
    file = models.FileField("文件", upload_to=objection_upload_to, max_length=255)
    original_name = models.CharField("原文件名", max_length=255)
    content_type = models.CharField("类型", max_length=128)
    size = models.PositiveIntegerField("大小")
    created_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = "复核材料"
        verbose_name_plural = "复核材料"

    def __str__(self):
        return self.original_name


def notice_upload_to(instance, filename):
    return random_name(f"publishing/notices/{instance.scheme_id}", filename)


class Notice(TimeStampedModel):
    """The results notice (通报) of a scheme: header facts and the editable narrative."""

    scheme = models.OneToOneField(
        "schemes.Scheme", verbose_name="方案", on_delete=models.CASCADE, related_name="notice"
    )
    issuing_office = models.CharField("发文机关", max_length=128)
    doc_number = models.CharField("发文字号", max_length=64, blank=True)
    title = models.CharField("标题", max_length=200)
    addressees = models.TextField("主送机关")
    intro = models.TextField("导语", blank=True)
    organisation = models.TextField("考核组织实施情况", blank=True)
    achievements = models.TextField("工作主要成效", blank=True)
    problems = models.TextField("存在问题", blank=True)
    requirements = models.TextField("下一步工作要求", blank=True)
    closing = models.TextField("结束语", blank=True)
    order = models.CharField(
        "等次名单排序", max_length=16, choices=NoticeOrder.choices, default=NoticeOrder.OFFICIAL
    )
    signature = models.CharField("落款", max_length=128, blank=True)
    issue_date = models.DateField("成文日期", null=True, blank=True)
    printer = models.CharField("印发机关", max_length=128, blank=True)
    print_date = models.DateField("印发日期", null=True, blank=True)
    template = models.FileField(
        "自定义 Word 模板（docxtpl）", upload_to=notice_upload_to, blank=True, max_length=255
    )
    published_file = models.FileField(
        "已发布通报", upload_to=notice_upload_to, blank=True, max_length=255
    )
    published_at = models.DateTimeField("发布时间", null=True, blank=True)

    class Meta:
        verbose_name = "结果通报"
        verbose_name_plural = "结果通报"

    def __str__(self):
        return self.title
