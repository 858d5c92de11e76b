"""An assessment scheme: components and weights, indicator tree, grading rules, subjects, scores."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kaohe.common.models import TextGuardMixin, TimeStampedModel
from kaohe.common.text import join_list

from .choices import (
    COMPONENT_METHODS,
    RESULTS_PUBLISHED_STATUSES,
    SchemeStatus,
    ScoreSource,
    ScoringMethod,
)
from .querysets import IndicatorQuerySet, SchemeQuerySet, SubjectQuerySet

SCORE_DIGITS = {"max_digits": 8, "decimal_places": 2}


class Scheme(TimeStampedModel):
    """One year's assessment run by the office of `owner_unit` over units below it."""

    code = models.SlugField(_("方案代码"), max_length=64, unique=True)
    name = models.CharField(_("方案名称"), max_length=128)
    year = models.PositiveIntegerField(_("年度"))
    owner_unit = models.ForeignKey(
        "orgs.Unit",
        verbose_name=_("组织单位"),
        on_delete=models.PROTECT,
        related_name="owned_schemes",
    )
    issuing_office = models.CharField(_("考核办名称"), max_length=128, blank=True)
    status = models.CharField(
        _("状态"), max_length=16, choices=SchemeStatus.choices, default=SchemeStatus.DRAFT
    )
    previous = models.ForeignKey(
        "self",
        verbose_name=_("上一年度方案"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    bonus_cap = models.DecimalField(
        _("加分上限"), default=Decimal("0"), **SCORE_DIGITS, validators=[MinValueValidator(0)]
    )
    penalty_cap = models.DecimalField(
        _("扣分上限"), default=Decimal("0"), **SCORE_DIGITS, validators=[MinValueValidator(0)]
    )
    tie_break = models.CharField(
        _("同分排序依据"),
        max_length=128,
        default="onsite,daily",
        blank=True,
        help_text=_("依次比较的考核类别代码，逗号分隔；全部相同则并列。"),
    )
    onsite_start = models.DateField(_("实地考核开始"), null=True, blank=True)
    onsite_end = models.DateField(_("实地考核结束"), null=True, blank=True)
    notice_start = models.DateField(_("公示开始"), null=True, blank=True)
    notice_end = models.DateField(_("公示结束"), null=True, blank=True)
    results_stale = models.BooleanField(_("结果待重算"), default=True, editable=False)

    objects = SchemeQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "code"]
        verbose_name = _("考核方案")
        verbose_name_plural = _("考核方案")

    def __str__(self):
        return self.name

    @property
    def results_published(self) -> bool:
        """Whether assessed units may see their results (the public-notice period has begun)."""
        return self.status in RESULTS_PUBLISHED_STATUSES

    @staticmethod
    def mark_results_stale(scheme_id: int) -> None:
        """Record that stored results no longer match the scores or rules (recomputed on read).

        The scheme's `updated_at` moves too: cached pages name the scheme's rules (weights,
        component names) by it instead of reading them on every request."""
        Scheme.objects.filter(pk=scheme_id).update(results_stale=True, updated_at=timezone.now())

    @property
    def tie_break_codes(self) -> list[str]:
        return [c.strip() for c in self.tie_break.split(",") if c.strip()]

    @property
    def tie_break_label(self) -> str:
        """The tie-break as people say it: 实地考核、日常考核 (not onsite,daily)."""
        names = {c.code: c.name for c in self.components.all()}
        return join_list(names.get(code, code) for code in self.tie_break_codes)


class Component(TextGuardMixin, models.Model):
    """A part of the total with its weight in percent, e.g. 日常考核 60."""

    scheme = models.ForeignKey(
        Scheme, verbose_name=_("方案"), on_delete=models.CASCADE, related_name="components"
    )
    code = models.SlugField(_("代码"), max_length=32)
    name = models.CharField(_("名称"), max_length=64)
    weight = models.DecimalField(
        _("权重(%)"),
        max_digits=6,
        decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    order = models.PositiveIntegerField(_("排序"), default=0)

    class Meta:
        ordering = ["scheme", "order", "id"]
        verbose_name = _("考核类别")
        verbose_name_plural = _("考核类别")
        constraints = [
            models.UniqueConstraint(fields=["scheme", "code"], name="component_code_unique")
        ]

    def __str__(self):
        return gettext("%(name)s（%(value)s%%）") % {
            "name": self.name,
            "value": format(self.weight.normalize(), "f"),
        }


class GradingCategory(TextGuardMixin, models.Model):
    """Subjects ranked and graded together; may hold several unit categories (县区 + 功能区)."""

    scheme = models.ForeignKey(
        Scheme, verbose_name=_("方案"), on_delete=models.CASCADE, related_name="grading_categories"
    )
    name = models.CharField(_("名称"), max_length=64)
    unit_categories = models.ManyToManyField(
        "orgs.UnitCategory", verbose_name=_("包含的单位类别"), related_name="+"
    )
    order = models.PositiveIntegerField(_("排序"), default=0)

    class Meta:
        ordering = ["scheme", "order", "id"]
        verbose_name = _("评定组别")
        verbose_name_plural = _("评定组别")

    def __str__(self):
        return self.name


class GradeLevel(TextGuardMixin, models.Model):
    """A grade with its threshold and optional quota; category-specific levels override."""

    scheme = models.ForeignKey(
        Scheme, verbose_name=_("方案"), on_delete=models.CASCADE, related_name="grade_levels"
    )
    grading_category = models.ForeignKey(
        GradingCategory,
        verbose_name=_("适用组别（空为全部）"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="grade_levels",
    )
    name = models.CharField(_("等次"), max_length=16)
    min_total = models.DecimalField(_("最低总分"), **SCORE_DIGITS)
    quota_percent = models.DecimalField(
        _("名额上限(%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("例如 30 表示该等次最多占本组别 30%，超出者降入下一等次；空为不限。"),
    )
    order = models.PositiveIntegerField(_("顺序（0 为最高等次）"), default=0)

    class Meta:
        ordering = ["scheme", "grading_category", "order"]
        verbose_name = _("等次规则")
        verbose_name_plural = _("等次规则")

    def __str__(self):
        return f"{self.name} ≥ {self.min_total}"


class Indicator(TimeStampedModel):
    """A node of the indicator tree; leaves (no children) carry a max score and a method."""

    scheme = models.ForeignKey(
        Scheme, verbose_name=_("方案"), on_delete=models.CASCADE, related_name="indicators"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级指标"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="children",
    )
    component = models.ForeignKey(
        Component,
        verbose_name=_("所属考核类别"),
        on_delete=models.PROTECT,
        related_name="indicators",
    )
    code = models.CharField(_("编码"), max_length=32)
    name = models.CharField(_("指标名称"), max_length=255)
    level = models.PositiveSmallIntegerField(
        _("级别"), default=1, validators=[MinValueValidator(1), MaxValueValidator(3)]
    )
    order = models.PositiveIntegerField(_("排序"), default=0)
    max_score = models.DecimalField(
        _("分值"), null=True, blank=True, **SCORE_DIGITS, validators=[MinValueValidator(0)]
    )
    method = models.CharField(
        _("评分方式"), max_length=16, choices=ScoringMethod.choices, default=ScoringMethod.ENTERED
    )
    veto_grade = models.CharField(
        _("否决后最高等次"),
        max_length=16,
        blank=True,
        help_text=_("一票否决项触发时，等次最高只能是该等次。"),
    )
    applies_to = models.ManyToManyField(
        "orgs.UnitCategory",
        verbose_name=_("适用对象类别"),
        blank=True,
        related_name="+",
        help_text=_("不选则适用于全部类别。"),
    )
    content = models.TextField(_("考核内容"), blank=True)
    requirement = models.TextField(_("考核要求"), blank=True)
    responsible_units = models.ManyToManyField(
        "orgs.Unit", verbose_name=_("责任单位"), blank=True, related_name="responsible_for"
    )
    responsible_groups = models.ManyToManyField(
        "orgs.UnitGroup",
        verbose_name=_("责任单位组"),
        blank=True,
        related_name="+",
        help_text=_("组内每个成员单位各生成一项任务。"),
    )
    responsible_categories = models.ManyToManyField(
        "orgs.UnitCategory",
        verbose_name=_("责任考核对象类别"),
        blank=True,
        related_name="+",
        help_text=_("如“各县市区人民政府”：本方案这些类别的每个考核对象各生成一项任务。"),
    )
    responsible_text = models.TextField(_("责任单位（原文）"), blank=True)
    materials = models.TextField(_("资料准备要求"), blank=True)
    deadline = models.DateField(_("提交时限"), null=True, blank=True)

    # The fields an office user edits (form, services and imports all use this one list).
    EDITABLE_FIELDS = (
        "code",
        "name",
        "order",
        "max_score",
        "method",
        "veto_grade",
        "content",
        "requirement",
        "responsible_text",
        "materials",
        "deadline",
    )

    objects = IndicatorQuerySet.as_manager()

    class Meta:
        ordering = ["scheme", "component__order", "code"]
        verbose_name = _("考核指标")
        verbose_name_plural = _("考核指标")
        constraints = [
            models.UniqueConstraint(fields=["scheme", "code"], name="indicator_code_unique")
        ]

    def __str__(self):
        return f"{self.code} {self.name}"

    @property
    def in_component_sum(self) -> bool:
        return self.method in COMPONENT_METHODS

    def clean(self):
        if self.parent_id:
            if self.parent.scheme_id != self.scheme_id:
                raise ValidationError({"parent": gettext("上级指标必须属于同一方案。")})
            if self.parent.level >= 3:
                raise ValidationError({"parent": gettext("指标最多三级。")})
            self.level = self.parent.level + 1
            self.component_id = self.parent.component_id
        else:
            self.level = 1
        if self.method == ScoringMethod.VETO and not self.veto_grade:
            raise ValidationError({"veto_grade": gettext("一票否决项必须指定否决后的最高等次。")})


class Subject(TimeStampedModel):
    """A unit enrolled in a scheme (考核对象), in a grading category."""

    scheme = models.ForeignKey(
        Scheme, verbose_name=_("方案"), on_delete=models.CASCADE, related_name="subjects"
    )
    unit = models.ForeignKey(
        "orgs.Unit", verbose_name=_("单位"), on_delete=models.PROTECT, related_name="subjects"
    )
    unit_category = models.ForeignKey(
        "orgs.UnitCategory", verbose_name=_("单位类别"), on_delete=models.PROTECT, related_name="+"
    )
    grading_category = models.ForeignKey(
        GradingCategory,
        verbose_name=_("评定组别"),
        on_delete=models.PROTECT,
        related_name="subjects",
    )
    order = models.PositiveIntegerField(_("单位序列"), default=0)

    objects = SubjectQuerySet.as_manager()

    class Meta:
        ordering = ["scheme", "grading_category__order", "order", "id"]
        verbose_name = _("考核对象")
        verbose_name_plural = _("考核对象")
        constraints = [
            models.UniqueConstraint(fields=["scheme", "unit"], name="subject_unit_unique")
        ]

    def __str__(self):
        return str(self.unit)


class ScoreEntry(TimeStampedModel):
    """The value recorded for one leaf of one subject; `version` guards concurrent edits."""

    subject = models.ForeignKey(
        Subject, verbose_name=_("考核对象"), on_delete=models.CASCADE, related_name="scores"
    )
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("指标"), on_delete=models.CASCADE, related_name="scores"
    )
    value = models.DecimalField(_("录入值"), **SCORE_DIGITS)
    note = models.TextField(_("说明"), blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("录入人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    source = models.CharField(
        _("来源"), max_length=32, choices=ScoreSource.choices, default=ScoreSource.MANUAL
    )
    version = models.PositiveIntegerField(_("版本"), default=1)

    @property
    def source_label(self) -> str:
        return self.get_source_display()

    class Meta:
        ordering = ["subject", "indicator__code"]
        verbose_name = _("指标得分")
        verbose_name_plural = _("指标得分")
        constraints = [
            models.UniqueConstraint(fields=["subject", "indicator"], name="score_entry_unique")
        ]

    def __str__(self):
        return f"{self.subject} · {self.indicator.code} = {self.value}"
