"""Stored results of the last computation: totals, ranks, grades and component scores."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from kaohe.common.models import TextGuardMixin

RESULT_DIGITS = {"max_digits": 8, "decimal_places": 2}
EXACT_DIGITS = {"max_digits": 24, "decimal_places": 10}


class SubjectResult(TextGuardMixin, models.Model):
    """A subject's computed total, rank and grade, with the reason for the grade."""

    scheme = models.ForeignKey(
        "schemes.Scheme", verbose_name=_("方案"), on_delete=models.CASCADE, related_name="results"
    )
    subject = models.OneToOneField(
        "schemes.Subject",
        verbose_name=_("考核对象"),
        on_delete=models.CASCADE,
        related_name="result",
    )
    grading_category = models.ForeignKey(
        "schemes.GradingCategory",
        verbose_name=_("评定组别"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    total = models.DecimalField(_("总分"), **RESULT_DIGITS)
    exact_total = models.DecimalField(_("总分（未舍入）"), **EXACT_DIGITS)
    bonus = models.DecimalField(_("加分"), **RESULT_DIGITS)
    penalty = models.DecimalField(_("扣分"), **RESULT_DIGITS)
    rank = models.PositiveIntegerField(_("名次"))
    grade = models.CharField(_("等次"), max_length=16)
    grade_reason = models.TextField(_("等次依据"), blank=True)
    vetoed = models.BooleanField(_("一票否决"), default=False)
    missing_count = models.PositiveIntegerField(_("未评分指标数"), default=0)
    computed_at = models.DateTimeField(_("计算时间"))
    # Everything the last recompute wrote for this subject, this row and its component rows,
    # as one exact text (store.signature): the next recompute compares its own text with it
    # instead of reading every stored value back. Written only by the recompute.
    signature = models.TextField(_("计算签名"), blank=True, default="", editable=False)

    class Meta:
        ordering = ["grading_category__order", "rank", "subject__order"]
        verbose_name = _("考核结果")
        verbose_name_plural = _("考核结果")

    def __str__(self):
        return f"{self.subject_id}: {self.total} #{self.rank} {self.grade}"


class ComponentResult(TextGuardMixin, models.Model):
    """One component's raw sum, applicable maximum and (scaled) score for a subject."""

    # DO_NOTHING: results_recompute deletes components first, then results, each in one
    # statement; a cascade would make Django fetch and delete ids in batches instead.
    result = models.ForeignKey(
        SubjectResult,
        verbose_name=_("结果"),
        on_delete=models.DO_NOTHING,
        related_name="components",
    )
    component = models.ForeignKey(
        "schemes.Component", verbose_name=_("考核类别"), on_delete=models.CASCADE, related_name="+"
    )
    raw = models.DecimalField(_("得分合计"), **EXACT_DIGITS)
    maximum = models.DecimalField(_("适用满分"), **EXACT_DIGITS)
    score = models.DecimalField(_("百分制得分"), **EXACT_DIGITS)

    class Meta:
        ordering = ["result", "component__order"]
        verbose_name = _("类别得分")
        verbose_name_plural = _("类别得分")
        constraints = [
            models.UniqueConstraint(fields=["result", "component"], name="component_result_unique")
        ]

    def __str__(self):
        return f"{self.result_id}/{self.component_id}: {self.score}"
