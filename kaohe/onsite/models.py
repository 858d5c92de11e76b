"""On-site assessment: teams and visits, recorded draws, checklists, reviews, deductions."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kaohe.common.models import TextGuardMixin, TimeStampedModel

from .choices import CheckResult, DrawStatus, EvidenceKind, PopulationSource, SeedSource

USER = settings.AUTH_USER_MODEL
POINTS = {"max_digits": 8, "decimal_places": 2}
SCHEME, SUBJECT, INDICATOR = _("方案"), _("考核对象"), _("指标")  # labels of the usual links
# What a team recorded about a subject (draws, checklist fills, case reviews, filing checks,
# deductions, evidence) links to it with RESTRICT: withdrawing a subject never deletes on-site
# records (schemes/services/subjects.py refuses with a message naming them).


class Team(TimeStampedModel):
    """An assessment team (考核组) of a scheme: one leader and members, all users."""

    scheme = models.ForeignKey(
        "schemes.Scheme", verbose_name=SCHEME, on_delete=models.CASCADE, related_name="teams"
    )
    name = models.CharField(_("名称"), max_length=64)
    leader = models.ForeignKey(
        USER, verbose_name=_("组长"), on_delete=models.PROTECT, related_name="led_teams"
    )
    members = models.ManyToManyField(
        USER, verbose_name=_("成员"), blank=True, related_name="onsite_teams"
    )
    leader_rank = models.CharField(
        _("组长职级"), max_length=32, blank=True, help_text=_("如“县级领导干部”；结果通报中写明。")
    )
    order = models.PositiveIntegerField(_("排序"), default=0)

    class Meta:
        ordering = ["scheme", "order", "id"]
        verbose_name = _("考核组")
        verbose_name_plural = _("考核组")
        constraints = [
            models.UniqueConstraint(fields=["scheme", "name"], name="onsite_team_name_unique")
        ]

    def __str__(self):
        return self.name

    def people(self):
        """Leader first, then members (the leader is never duplicated)."""
        members = [u for u in self.members.all() if u.pk != self.leader_id]
        return [self.leader, *members]


class Visit(TimeStampedModel):
    """A subject assigned to a team, with the planned date of the on-site visit."""

    team = models.ForeignKey(
        Team, verbose_name=_("考核组"), on_delete=models.CASCADE, related_name="visits"
    )
    subject = models.OneToOneField(
        "schemes.Subject", verbose_name=SUBJECT, on_delete=models.CASCADE, related_name="visit"
    )
    date = models.DateField(_("考核日期"), null=True, blank=True)
    time_slot = models.CharField(
        _("时间段"), max_length=32, blank=True, help_text=_("如 上午 / 14:30")
    )
    place = models.CharField(_("地点"), max_length=128, blank=True)
    note = models.CharField(_("备注"), max_length=255, blank=True)

    class Meta:
        ordering = ["date", "time_slot", "team", "subject__order"]
        verbose_name = _("实地考核安排")
        verbose_name_plural = _("实地考核安排")

    def __str__(self):
        return f"{self.team} → {self.subject}"


class Draw(TimeStampedModel):
    """A recorded random draw: population + rule + seed → result, re-computable by anyone."""

    scheme = models.ForeignKey(
        "schemes.Scheme", verbose_name=SCHEME, on_delete=models.CASCADE, related_name="draws"
    )
    subject = models.ForeignKey(
        "schemes.Subject", verbose_name=SUBJECT, on_delete=models.RESTRICT, related_name="draws"
    )
    title = models.CharField(_("抽取事项"), max_length=128)
    preset = models.CharField(_("预设"), max_length=32, blank=True)
    source = models.CharField(_("名单来源"), max_length=16, choices=PopulationSource.choices)
    population_json = models.TextField(_("抽取范围（规范 JSON）"), editable=False)
    rule_json = models.TextField(_("抽取规则（规范 JSON）"), editable=False)
    population_sha256 = models.CharField(_("名单摘要"), max_length=64, editable=False)
    status = models.CharField(
        _("状态"), max_length=16, choices=DrawStatus.choices, default=DrawStatus.PREPARED
    )
    seed = models.CharField(_("随机种子"), max_length=64, blank=True)
    seed_source = models.CharField(
        _("种子来源"), max_length=16, choices=SeedSource.choices, blank=True
    )
    seed_announced_at = models.DateTimeField(_("种子公布时间"), null=True, blank=True)
    result_json = models.TextField(_("抽取结果（规范 JSON）"), blank=True, editable=False)
    digest = models.CharField(_("抽取摘要"), max_length=64, blank=True, editable=False)
    created_by = models.ForeignKey(
        USER, verbose_name=_("创建人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    drawn_by = models.ForeignKey(
        USER, models.SET_NULL, verbose_name=_("抽取人"), null=True, blank=True, related_name="+"
    )
    drawn_at = models.DateTimeField(_("抽取时间"), null=True, blank=True)
    cancel_reason = models.CharField(_("作废原因"), max_length=255, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("随机抽取")
        verbose_name_plural = _("随机抽取")

    def __str__(self):
        return f"#{self.pk} {self.title}"


class Checklist(TimeStampedModel):
    """Checkable items for one leaf indicator (its requirement text split into items)."""

    indicator = models.OneToOneField(
        "schemes.Indicator", models.CASCADE, verbose_name=INDICATOR, related_name="checklist"
    )
    per_target = models.BooleanField(
        _("按抽查对象分别检查"),
        default=False,
        help_text=_("如“现场选取5个部门查看清单”：每个部门各填一份，指标得分取平均。"),
    )

    class Meta:
        verbose_name = _("检查清单")
        verbose_name_plural = _("检查清单")

    def __str__(self):
        return gettext("%(indicator)s 检查清单") % {"indicator": self.indicator}


class ChecklistItem(TextGuardMixin, models.Model):
    """One checkable requirement; `points` weighs it (empty: items share the max equally)."""

    checklist = models.ForeignKey(
        Checklist, verbose_name=_("清单"), on_delete=models.CASCADE, related_name="items"
    )
    order = models.PositiveIntegerField(_("序号"), default=0)
    text = models.TextField(_("检查内容"))
    points = models.DecimalField(
        _("分值"), null=True, blank=True, **POINTS, validators=[MinValueValidator(0)]
    )

    class Meta:
        ordering = ["checklist", "order", "id"]
        verbose_name = _("检查项")
        verbose_name_plural = _("检查项")

    def __str__(self):
        return self.text[:40]


class ChecklistFill(TimeStampedModel):
    """A checklist filled for one subject (and, per target, for one drawn department)."""

    checklist = models.ForeignKey(
        Checklist, verbose_name=_("清单"), on_delete=models.CASCADE, related_name="fills"
    )
    subject = models.ForeignKey(
        "schemes.Subject", verbose_name=SUBJECT, on_delete=models.RESTRICT, related_name="+"
    )
    target = models.CharField(_("检查对象"), max_length=128, blank=True)
    filled_by = models.ForeignKey(
        USER, verbose_name=_("填写人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    fraction = models.DecimalField(
        _("达标比例"), max_digits=9, decimal_places=6, default=Decimal("0")
    )

    class Meta:
        ordering = ["checklist", "subject", "target"]
        verbose_name = _("清单检查记录")
        verbose_name_plural = _("清单检查记录")
        constraints = [
            models.UniqueConstraint(
                fields=["checklist", "subject", "target"], name="onsite_fill_unique"
            )
        ]

    def __str__(self):
        return f"{self.subject} · {self.checklist.indicator.code} {self.target}".strip()


class ChecklistAnswer(TextGuardMixin, models.Model):
    """Pass / fail / n.a. for one item of one fill, with a note."""

    fill = models.ForeignKey(
        ChecklistFill, verbose_name=_("检查记录"), on_delete=models.CASCADE, related_name="answers"
    )
    item = models.ForeignKey(
        ChecklistItem, verbose_name=_("检查项"), on_delete=models.CASCADE, related_name="+"
    )
    result = models.CharField(_("结果"), max_length=8, choices=CheckResult.choices)
    credit = models.DecimalField(
        _("得分比例"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        help_text=_("部分符合时该项得到的比例（0–1）；按分值填写的折算为比例保存。"),
    )
    note = models.CharField(_("说明"), max_length=255, blank=True)

    class Meta:
        ordering = ["fill", "item__order"]
        verbose_name = _("检查结果")
        verbose_name_plural = _("检查结果")
        constraints = [
            models.UniqueConstraint(fields=["fill", "item"], name="onsite_answer_unique")
        ]

    def __str__(self):
        return f"{self.item} = {self.result}"


class CaseSheet(TimeStampedModel):
    """A case-file review criteria sheet (案卷评查标准) feeding one leaf indicator."""

    indicator = models.OneToOneField(
        "schemes.Indicator", models.CASCADE, verbose_name=INDICATOR, related_name="case_sheet"
    )
    full_score = models.DecimalField(_("案卷满分"), default=Decimal("100"), **POINTS)

    class Meta:
        verbose_name = _("案卷评查标准")
        verbose_name_plural = _("案卷评查标准")

    def __str__(self):
        return gettext("%(indicator)s 评查标准") % {"indicator": self.indicator}


class CaseCriterion(TextGuardMixin, models.Model):
    """A criterion: a basic one failing makes the file 不合格 (0); others deduct points."""

    sheet = models.ForeignKey(
        CaseSheet, verbose_name=_("标准"), on_delete=models.CASCADE, related_name="criteria"
    )
    order = models.PositiveIntegerField(_("序号"), default=0)
    text = models.CharField(_("评查项目"), max_length=255)
    is_basic = models.BooleanField(_("基本项（不符即不合格）"), default=False)
    points = models.DecimalField(
        _("扣分"), default=Decimal("0"), **POINTS, validators=[MinValueValidator(0)]
    )

    class Meta:
        ordering = ["sheet", "order", "id"]
        verbose_name = _("评查项目")
        verbose_name_plural = _("评查项目")

    def __str__(self):
        return self.text


class CaseReview(TimeStampedModel):
    """The review of one drawn case file of a subject; score computed from failed criteria."""

    sheet = models.ForeignKey(
        CaseSheet, verbose_name=_("标准"), on_delete=models.CASCADE, related_name="reviews"
    )
    subject = models.ForeignKey(
        "schemes.Subject", verbose_name=SUBJECT, on_delete=models.RESTRICT, related_name="+"
    )
    file_label = models.CharField(_("案卷"), max_length=200)
    failed = models.ManyToManyField(
        CaseCriterion, verbose_name=_("不符合的项目"), blank=True, related_name="+"
    )
    qualified = models.BooleanField(_("合格"), default=True)
    score = models.DecimalField(_("得分"), **POINTS)
    note = models.CharField(_("说明"), max_length=255, blank=True)
    reviewed_by = models.ForeignKey(
        USER, verbose_name=_("评查人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["sheet", "subject", "file_label"]
        verbose_name = _("案卷评查")
        verbose_name_plural = _("案卷评查")
        constraints = [
            models.UniqueConstraint(
                fields=["sheet", "subject", "file_label"], name="onsite_case_unique"
            )
        ]

    def __str__(self):
        return f"{self.subject} · {self.file_label}"


class FilingCheck(TimeStampedModel):
    """One drawn major-penalty filing record (重大行政处罚备案) and what was found in it."""

    indicator = models.ForeignKey(
        "schemes.Indicator", verbose_name=INDICATOR, on_delete=models.CASCADE, related_name="+"
    )
    subject = models.ForeignKey(
        "schemes.Subject", verbose_name=SUBJECT, on_delete=models.RESTRICT, related_name="+"
    )
    record_label = models.CharField(_("备案材料"), max_length=200)
    has_report = models.BooleanField(_("有重大行政处罚备案报告"), default=False)
    has_review_form = models.BooleanField(_("有重大行政处罚备案审查表"), default=False)
    has_decision = models.BooleanField(_("有行政处罚决定书"), default=False)
    form_proper = models.BooleanField(_("审查表填写规范"), default=True)
    decision_date = models.DateField(_("处罚决定日期"), null=True, blank=True)
    filing_date = models.DateField(_("报送备案日期"), null=True, blank=True)
    received_date = models.DateField(_("收到备案材料日期"), null=True, blank=True)
    reviewed_date = models.DateField(_("审查完成日期"), null=True, blank=True)
    note = models.CharField(_("说明"), max_length=255, blank=True)
    checked_by = models.ForeignKey(
        USER, verbose_name=_("检查人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["indicator", "subject", "record_label"]
        verbose_name = _("重大行政处罚备案检查")
        verbose_name_plural = _("重大行政处罚备案检查")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "subject", "record_label"], name="onsite_filing_unique"
            )
        ]

    def __str__(self):
        return f"{self.subject} · {self.record_label}"


class Deduction(TimeStampedModel):
    """A deduction found by an undercover visit (暗访), written to a penalty leaf."""

    subject = models.ForeignKey(
        "schemes.Subject", verbose_name=SUBJECT, on_delete=models.RESTRICT, related_name="+"
    )
    indicator = models.ForeignKey(
        "schemes.Indicator", verbose_name=_("扣分指标"), on_delete=models.PROTECT, related_name="+"
    )
    points = models.DecimalField(
        _("扣分"), **POINTS, validators=[MinValueValidator(Decimal("0.01"))]
    )
    reason = models.TextField(_("扣分理由"))
    found_on = models.DateField(_("暗访日期"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        USER, verbose_name=_("记录人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    withdrawn = models.BooleanField(_("已撤销"), default=False)
    withdraw_reason = models.CharField(_("撤销原因"), max_length=255, blank=True)

    class Meta:
        ordering = ["subject", "-created_at"]
        verbose_name = _("暗访扣分")
        verbose_name_plural = _("暗访扣分")

    def __str__(self):
        return f"{self.subject} −{self.points}"


class Evidence(TimeStampedModel):
    """An uploaded photo / PDF / recording; served only through an access-checked view."""

    subject = models.ForeignKey(
        "schemes.Subject", verbose_name=SUBJECT, on_delete=models.RESTRICT, related_name="+"
    )
    fill = models.ForeignKey(
        ChecklistFill, null=True, blank=True, on_delete=models.CASCADE, related_name="evidence"
    )
    deduction = models.ForeignKey(
        Deduction, null=True, blank=True, on_delete=models.CASCADE, related_name="evidence"
    )
    file = models.FileField(_("文件"), upload_to="onsite/%Y/%m/", max_length=255)
    original_name = models.CharField(_("原文件名"), max_length=255)
    kind = models.CharField(_("类型"), max_length=8, choices=EvidenceKind.choices)
    mime = models.CharField("MIME", max_length=64)
    size = models.PositiveIntegerField(_("大小（字节）"))
    sha256 = models.CharField("SHA-256", max_length=64)
    uploaded_by = models.ForeignKey(
        USER, verbose_name=_("上传人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("证据材料")
        verbose_name_plural = _("证据材料")

    def __str__(self):
        return self.original_name
