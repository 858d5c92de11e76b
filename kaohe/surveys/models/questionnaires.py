"""A questionnaire: sections and questions; rating questions carry labelled points."""

from django.db import models

from kaohe.common.models import TextGuardMixin, TimeStampedModel

from ..choices import TEXT_MAX_LENGTH, QuestionKind, QuestionnaireKind


class Questionnaire(TimeStampedModel):
    """The questions of one kind of survey, owned by a scheme (copied from last year's)."""

    scheme = models.ForeignKey(
        "schemes.Scheme",
        verbose_name="方案",
        on_delete=models.CASCADE,
        related_name="questionnaires",
    )
    title = models.CharField("问卷标题", max_length=128)
    kind = models.CharField(
        "类型", max_length=16, choices=QuestionnaireKind.choices, default=QuestionnaireKind.OTHER
    )
    intro = models.TextField("开头语", blank=True)
    thanks = models.CharField("结束语", max_length=255, blank=True)
    copied_from = models.ForeignKey(
        "self",
        verbose_name="复制自",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["scheme", "id"]
        verbose_name = "问卷"
        verbose_name_plural = "问卷"

    def __str__(self):
        return self.title


class Section(TextGuardMixin, models.Model):
    """A titled group of questions."""

    questionnaire = models.ForeignKey(
        Questionnaire, verbose_name="问卷", on_delete=models.CASCADE, related_name="sections"
    )
    title = models.CharField("部分标题", max_length=128)
    order = models.PositiveIntegerField("排序", default=0)

    class Meta:
        ordering = ["questionnaire", "order", "id"]
        verbose_name = "问卷部分"
        verbose_name_plural = "问卷部分"

    def __str__(self):
        return self.title


class Question(TextGuardMixin, models.Model):
    """One question; choices hold its options (rating points for rating questions)."""

    questionnaire = models.ForeignKey(
        Questionnaire, verbose_name="问卷", on_delete=models.CASCADE, related_name="questions"
    )
    section = models.ForeignKey(
        Section,
        verbose_name="部分",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="questions",
    )
    order = models.PositiveIntegerField("排序", default=0)
    kind = models.CharField("题型", max_length=16, choices=QuestionKind.choices)
    text = models.CharField("题目", max_length=255)
    required = models.BooleanField("必答", default=True)
    max_length = models.PositiveIntegerField("最多字数", default=TEXT_MAX_LENGTH)

    class Meta:
        ordering = ["questionnaire", "order", "id"]
        verbose_name = "题目"
        verbose_name_plural = "题目"

    def __str__(self):
        return self.text

    @property
    def has_choices(self) -> bool:
        return self.kind != QuestionKind.TEXT


class Choice(TextGuardMixin, models.Model):
    """An option of a question; for a rating question, a labelled point (非常满意 = 10)."""

    question = models.ForeignKey(
        Question, verbose_name="题目", on_delete=models.CASCADE, related_name="choices"
    )
    label = models.CharField("选项", max_length=128)
    points = models.DecimalField("分值", max_digits=6, decimal_places=2, null=True, blank=True)
    order = models.PositiveIntegerField("排序", default=0)

    class Meta:
        ordering = ["question", "order", "id"]
        verbose_name = "选项"
        verbose_name_plural = "选项"

    def __str__(self):
        return self.label
