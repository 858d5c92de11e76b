"""A questionnaire: sections and questions; rating questions carry labelled points."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from kaohe.common.models import TextGuardMixin, TimeStampedModel

from ..choices import TEXT_MAX_LENGTH, QuestionKind, QuestionnaireKind


class Questionnaire(TimeStampedModel):
    """The questions of one kind of survey, owned by a scheme (copied from last year's)."""

    scheme = models.ForeignKey(
        "schemes.Scheme",
        verbose_name=_("方案"),
        on_delete=models.CASCADE,
        related_name="questionnaires",
    )
    title = models.CharField(_("问卷标题"), max_length=128)
    kind = models.CharField(
        _("类型"), max_length=16, choices=QuestionnaireKind.choices, default=QuestionnaireKind.OTHER
    )
    intro = models.TextField(_("开头语"), blank=True)
    thanks = models.CharField(_("结束语"), max_length=255, blank=True)
    copied_from = models.ForeignKey(
        "self",
        verbose_name=_("复制自"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["scheme", "id"]
        verbose_name = _("问卷")
        verbose_name_plural = _("问卷")

    def __str__(self):
        return self.title


class Section(TextGuardMixin, models.Model):
    """A titled group of questions."""

    questionnaire = models.ForeignKey(
        Questionnaire, verbose_name=_("问卷"), on_delete=models.CASCADE, related_name="sections"
    )
    title = models.CharField(_("部分标题"), max_length=128)
    order = models.PositiveIntegerField(_("排序"), default=0)

    class Meta:
        ordering = ["questionnaire", "order", "id"]
        verbose_name = _("问卷部分")
        verbose_name_plural = _("问卷部分")

    def __str__(self):
        return self.title


class Question(TextGuardMixin, models.Model):
    """One question; choices hold its options (rating points for rating questions)."""

    questionnaire = models.ForeignKey(
        Questionnaire, verbose_name=_("问卷"), on_delete=models.CASCADE, related_name="questions"
    )
    section = models.ForeignKey(
        Section,
        verbose_name=_("部分"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="questions",
    )
    order = models.PositiveIntegerField(_("排序"), default=0)
    kind = models.CharField(_("题型"), max_length=16, choices=QuestionKind.choices)
    text = models.CharField(_("题目"), max_length=255)
    required = models.BooleanField(_("必答"), default=True)
    max_length = models.PositiveIntegerField(_("最多字数"), default=TEXT_MAX_LENGTH)

    class Meta:
        ordering = ["questionnaire", "order", "id"]
        verbose_name = _("题目")
        verbose_name_plural = _("题目")

    def __str__(self):
        return self.text

    @property
    def has_choices(self) -> bool:
        return self.kind != QuestionKind.TEXT


class Choice(TextGuardMixin, models.Model):
    """An option of a question; for a rating question, a labelled point (非常满意 = 10)."""

    question = models.ForeignKey(
        Question, verbose_name=_("题目"), on_delete=models.CASCADE, related_name="choices"
    )
    label = models.CharField(_("选项"), max_length=128)
    points = models.DecimalField(_("分值"), max_digits=6, decimal_places=2, null=True, blank=True)
    order = models.PositiveIntegerField(_("排序"), default=0)

    class Meta:
        ordering = ["question", "order", "id"]
        verbose_name = _("选项")
        verbose_name_plural = _("选项")

    def __str__(self):
        return self.label
