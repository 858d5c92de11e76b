"""A survey runs a questionnaire for a scheme's subjects in a time window, scoring one leaf."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from kaohe.common.models import TextGuardMixin, TimeStampedModel

from ..choices import SurveyMode


class Survey(TimeStampedModel):
    """A questionnaire × subjects × window; its answers become `indicator`'s score."""

    scheme = models.ForeignKey(
        "schemes.Scheme", verbose_name=_("方案"), on_delete=models.CASCADE, related_name="surveys"
    )
    questionnaire = models.ForeignKey(
        "surveys.Questionnaire",
        verbose_name=_("问卷"),
        on_delete=models.PROTECT,
        related_name="surveys",
    )
    indicator = models.ForeignKey(
        "schemes.Indicator",
        verbose_name=_("计分指标"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    title = models.CharField(_("调查名称"), max_length=128)
    mode = models.CharField(
        _("链接方式"), max_length=16, choices=SurveyMode.choices, default=SurveyMode.PER_SUBJECT
    )
    opens_at = models.DateTimeField(_("开始时间"))
    closes_at = models.DateTimeField(_("截止时间"))
    quota = models.PositiveIntegerField(
        _("每单位答卷上限"), null=True, blank=True, help_text=_("空为不限。")
    )
    min_answers = models.PositiveIntegerField(
        _("每单位最少答卷"), default=0, help_text=_("少于此数的单位不自动计分，考核办另行处理。")
    )
    invitation_only = models.BooleanField(
        _("仅凭邀请码作答"), default=False, help_text=_("勾选后公开链接须输入邀请码才能提交。")
    )
    token = models.CharField(_("公开链接标识"), max_length=32, unique=True)

    class Meta:
        ordering = ["scheme", "opens_at", "id"]
        verbose_name = _("满意度调查")
        verbose_name_plural = _("满意度调查")

    def __str__(self):
        return self.title


class SurveyTarget(TextGuardMixin, models.Model):
    """One subject of a survey: its public link and the counter that enforces the quota."""

    survey = models.ForeignKey(
        Survey, verbose_name=_("调查"), on_delete=models.CASCADE, related_name="targets"
    )
    subject = models.ForeignKey(
        "schemes.Subject", verbose_name=_("考核对象"), on_delete=models.CASCADE, related_name="+"
    )
    token = models.CharField(_("链接标识"), max_length=32, unique=True)
    answers_count = models.PositiveIntegerField(_("答卷数"), default=0)

    class Meta:
        ordering = ["survey", "subject__order", "id"]
        verbose_name = _("调查对象")
        verbose_name_plural = _("调查对象")
        constraints = [
            models.UniqueConstraint(fields=["survey", "subject"], name="survey_target_unique")
        ]

    def __str__(self):
        return f"{self.survey} · {self.subject}"


class Invitation(TextGuardMixin, models.Model):
    """A single-use code. Kept apart from answers: nothing links a used code to its answer."""

    survey = models.ForeignKey(
        Survey, verbose_name=_("调查"), on_delete=models.CASCADE, related_name="invitations"
    )
    target = models.ForeignKey(
        SurveyTarget,
        verbose_name=_("单位"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="invitations",
    )
    code = models.CharField(_("邀请码"), max_length=16, unique=True)
    batch = models.CharField(_("批次"), max_length=64, blank=True)
    used = models.BooleanField(_("已使用"), default=False)
    used_on = models.DateField(_("使用日期"), null=True, blank=True)

    class Meta:
        ordering = ["survey", "id"]
        verbose_name = _("邀请码")
        verbose_name_plural = _("邀请码")

    def __str__(self):
        return self.code
