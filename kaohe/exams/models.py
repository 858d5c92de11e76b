"""Question banks, exams (paper rules), sittings drawn from on-site draws, answers, marks."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from kaohe.common.models import TextGuardMixin, TimeStampedModel

from .choices import (
    Difficulty,
    EventKind,
    ExamineeStatus,
    ExamKind,
    MultiplePolicy,
    QuestionStatus,
    QuestionType,
    SeedSource,
    SittingMode,
    SittingStatus,
    SubmitReason,
    UnitFormula,
)

USER = settings.AUTH_USER_MODEL
POINTS = {"max_digits": 8, "decimal_places": 2}


class QuestionBank(TimeStampedModel):
    """A named bank of questions owned by an office's unit."""

    owner_unit = models.ForeignKey(
        "orgs.Unit", verbose_name=_("所属单位"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("题库名称"), max_length=64)
    description = models.CharField(_("说明"), max_length=255, blank=True)

    class Meta:
        ordering = ["owner_unit", "name"]
        verbose_name = _("题库")
        verbose_name_plural = _("题库")
        constraints = [
            models.UniqueConstraint(fields=["owner_unit", "name"], name="exams_bank_name_unique")
        ]

    def __str__(self):
        return self.name


class Topic(TextGuardMixin, models.Model):
    """A subject area such as 行政处罚法; shared by every bank."""

    name = models.CharField(_("专题"), max_length=64, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("专题")
        verbose_name_plural = _("专题")

    def __str__(self):
        return self.name


class Question(TimeStampedModel):
    """One question. `answer`: letters "AC" for choices, "T"/"F", or blanks of accepted texts."""

    bank = models.ForeignKey(
        QuestionBank, verbose_name=_("题库"), on_delete=models.CASCADE, related_name="questions"
    )
    qtype = models.CharField(_("题型"), max_length=16, choices=QuestionType.choices)
    stem = models.TextField(_("题干"))
    options = models.JSONField(_("选项"), default=list, blank=True)
    answer = models.JSONField(_("答案"), default=str, blank=True)
    reference_answer = models.TextField(_("参考答案"), blank=True)
    marking_points = models.TextField(_("评分要点"), blank=True, help_text=_("每行一个要点"))
    explanation = models.TextField(_("解析"), blank=True)
    topics = models.ManyToManyField(Topic, verbose_name=_("专题"), blank=True, related_name="+")
    difficulty = models.CharField(
        _("难度"), max_length=1, choices=Difficulty.choices, default=Difficulty.MEDIUM
    )
    status = models.CharField(
        _("状态"), max_length=16, choices=QuestionStatus.choices, default=QuestionStatus.ACTIVE
    )
    fingerprint = models.CharField(_("查重摘要"), max_length=64, editable=False)

    class Meta:
        ordering = ["bank", "qtype", "id"]
        verbose_name = _("试题")
        verbose_name_plural = _("试题")
        constraints = [
            models.UniqueConstraint(
                fields=["bank", "fingerprint"], name="exams_question_unique_in_bank"
            )
        ]

    def __str__(self):
        return f"[{self.get_qtype_display()}] {self.stem[:40]}"


class Exam(TimeStampedModel):
    """A test of a scheme feeding one leaf indicator; its paper rule and marking rules."""

    scheme = models.ForeignKey(
        "schemes.Scheme", verbose_name=_("方案"), on_delete=models.CASCADE, related_name="+"
    )
    indicator = models.OneToOneField(
        "schemes.Indicator",
        verbose_name=_("得分指标"),
        on_delete=models.CASCADE,
        related_name="exam",
    )
    bank = models.ForeignKey(
        QuestionBank, verbose_name=_("题库"), on_delete=models.PROTECT, related_name="exams"
    )
    kind = models.CharField(_("测试方式"), max_length=16, choices=ExamKind.choices)
    title = models.CharField(_("名称"), max_length=128)
    time_limit_minutes = models.PositiveIntegerField(
        _("考试时长（分钟）"), default=30, validators=[MinValueValidator(1), MaxValueValidator(600)]
    )
    pass_percent = models.DecimalField(
        _("合格线（得分率 %）"),
        default=Decimal("60"),
        **POINTS,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    shuffle_questions = models.BooleanField(_("题目乱序"), default=True)
    shuffle_options = models.BooleanField(_("选项乱序"), default=True)
    multiple_policy = models.CharField(
        _("多选题评分"),
        max_length=8,
        choices=MultiplePolicy.choices,
        default=MultiplePolicy.ALL_OR_NOTHING,
    )
    unit_formula = models.CharField(
        _("单位得分算法"), max_length=16, choices=UnitFormula.choices, default=UnitFormula.AVERAGE
    )
    recent_window = models.PositiveIntegerField(
        _("回避最近几场考试的试题"), default=3, validators=[MaxValueValidator(20)]
    )
    criteria = models.JSONField(_("现场提问评分项"), default=list, blank=True)
    double_marking = models.BooleanField(_("简答题双评"), default=False)
    double_gap = models.DecimalField(
        _("双评允许分差（该题分值的 %）"),
        default=Decimal("20"),
        **POINTS,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )

    class Meta:
        ordering = ["scheme", "indicator__code"]
        verbose_name = _("测试")
        verbose_name_plural = _("测试")

    def __str__(self):
        return self.title


class RuleLine(TextGuardMixin, models.Model):
    """How many questions of a type (and topic / difficulty) a paper takes, and their points."""

    exam = models.ForeignKey(
        Exam, verbose_name=_("测试"), on_delete=models.CASCADE, related_name="lines"
    )
    order = models.PositiveIntegerField(_("序号"), default=0)
    qtype = models.CharField(_("题型"), max_length=16, choices=QuestionType.choices)
    topic = models.ForeignKey(
        Topic,
        verbose_name=_("专题"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    difficulty = models.CharField(_("难度"), max_length=1, choices=Difficulty.choices, blank=True)
    count = models.PositiveIntegerField(_("题数"), validators=[MinValueValidator(1)])
    points = models.DecimalField(
        _("每题分值"), **POINTS, validators=[MinValueValidator(Decimal("0.01"))]
    )

    class Meta:
        ordering = ["exam", "order", "id"]
        verbose_name = _("组卷规则")
        verbose_name_plural = _("组卷规则")

    def __str__(self):
        return f"{self.get_qtype_display()} × {self.count}"


class Sitting(TimeStampedModel):
    """One unit's sitting of an exam, for the people of an on-site draw; its drawn paper."""

    exam = models.ForeignKey(
        Exam, verbose_name=_("测试"), on_delete=models.PROTECT, related_name="sittings"
    )
    subject = models.ForeignKey(
        "schemes.Subject", verbose_name=_("考核对象"), on_delete=models.CASCADE, related_name="+"
    )
    draw = models.ForeignKey(
        "onsite.Draw", verbose_name=_("人员抽取"), on_delete=models.PROTECT, related_name="+"
    )
    mode = models.CharField(_("方式"), max_length=8, choices=SittingMode.choices)
    status = models.CharField(
        _("状态"), max_length=16, choices=SittingStatus.choices, default=SittingStatus.PREPARED
    )
    population_json = models.TextField(_("题目范围（规范 JSON）"), editable=False)
    rule_json = models.TextField(_("组卷规则（规范 JSON）"), editable=False)
    population_sha256 = models.CharField(_("题目范围摘要"), max_length=64, editable=False)
    seed = models.CharField(_("随机种子"), max_length=64, blank=True)
    seed_source = models.CharField(
        _("种子来源"), max_length=16, choices=SeedSource.choices, blank=True
    )
    digest = models.CharField(_("组卷摘要"), max_length=64, blank=True, editable=False)
    paper_json = models.TextField(_("抽取的试题（规范 JSON）"), blank=True, editable=False)
    full_marks = models.DecimalField(_("满分"), default=Decimal("0"), **POINTS)
    drawn_at = models.DateTimeField(_("组卷时间"), null=True, blank=True)
    opened_at = models.DateTimeField(_("开考时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("收卷时间"), null=True, blank=True)
    result_percent = models.DecimalField(
        _("单位结果（%）"), null=True, blank=True, max_digits=9, decimal_places=4
    )
    created_by = models.ForeignKey(
        USER, verbose_name=_("创建人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("考试场次")
        verbose_name_plural = _("考试场次")

    def __str__(self):
        return f"#{self.pk} {self.subject} · {self.exam}"


class Examinee(TimeStampedModel):
    """A drawn person in a sitting: their one-time code, their paper layout and their mark."""

    sitting = models.ForeignKey(
        Sitting, verbose_name=_("场次"), on_delete=models.CASCADE, related_name="examinees"
    )
    person_key = models.CharField(_("人员编号"), max_length=200)
    name = models.CharField(_("姓名"), max_length=200)
    stratum = models.CharField(_("类别"), max_length=64, blank=True)
    seat = models.PositiveIntegerField(_("序号"))
    code = models.CharField(_("验证码"), max_length=16, unique=True)
    version = models.CharField(_("试卷版本"), max_length=1, default="A")
    layout = models.JSONField(_("题目顺序与选项顺序"), default=list)
    status = models.CharField(
        _("状态"), max_length=16, choices=ExamineeStatus.choices, default=ExamineeStatus.WAITING
    )
    started_at = models.DateTimeField(_("开始作答"), null=True, blank=True)
    deadline = models.DateTimeField(_("截止时间"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("交卷时间"), null=True, blank=True)
    submit_reason = models.CharField(
        _("交卷方式"), max_length=16, choices=SubmitReason.choices, blank=True
    )
    leave_count = models.PositiveIntegerField(_("离开页面次数"), default=0)
    score = models.DecimalField(_("得分"), null=True, blank=True, **POINTS)
    pending_marks = models.PositiveIntegerField(_("待评题数"), default=0)

    class Meta:
        ordering = ["sitting", "seat"]
        verbose_name = _("考生")
        verbose_name_plural = _("考生")
        constraints = [
            models.UniqueConstraint(fields=["sitting", "person_key"], name="exams_examinee_unique")
        ]

    def __str__(self):
        return self.name

    @property
    def blind_label(self) -> str:
        return f"{self.sitting_id}-{self.seat:02d}"


class Answer(TextGuardMixin, models.Model):
    """The latest answer to one question, as given, with the server time; and its mark."""

    examinee = models.ForeignKey(
        Examinee, verbose_name=_("考生"), on_delete=models.CASCADE, related_name="answers"
    )
    question = models.ForeignKey(
        Question, verbose_name=_("试题"), on_delete=models.PROTECT, related_name="+"
    )
    response = models.JSONField(_("作答"), default=str, blank=True)
    saved_at = models.DateTimeField(_("保存时间（服务器）"))
    saves = models.PositiveIntegerField(_("保存次数"), default=1)
    points = models.DecimalField(_("得分"), null=True, blank=True, **POINTS)
    marked_by = models.ForeignKey(
        USER,
        verbose_name=_("评分人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    marked_at = models.DateTimeField(_("评分时间"), null=True, blank=True)
    mark_note = models.CharField(_("评语"), max_length=255, blank=True)

    class Meta:
        ordering = ["examinee", "id"]
        verbose_name = _("作答")
        verbose_name_plural = _("作答")
        constraints = [
            models.UniqueConstraint(fields=["examinee", "question"], name="exams_answer_unique")
        ]

    def __str__(self):
        return f"{self.examinee} · Q{self.question_id}"


class ShortMark(TextGuardMixin, models.Model):
    """One marker's mark of one short answer when the exam is marked twice (双评)."""

    answer = models.ForeignKey(
        Answer, verbose_name=_("作答"), on_delete=models.CASCADE, related_name="marks"
    )
    marker = models.ForeignKey(
        USER, verbose_name=_("评分人"), on_delete=models.PROTECT, related_name="+"
    )
    points = models.DecimalField(_("得分"), **POINTS)
    note = models.CharField(_("评语"), max_length=255, blank=True)
    marked_at = models.DateTimeField(_("评分时间"))

    class Meta:
        ordering = ["answer", "marked_at", "id"]
        verbose_name = _("简答题评分")
        verbose_name_plural = _("简答题评分")
        constraints = [
            models.UniqueConstraint(fields=["answer", "marker"], name="exams_shortmark_unique")
        ]

    def __str__(self):
        return f"{self.answer} · {self.marker} = {self.points}"


class ExamEvent(TextGuardMixin, models.Model):
    """Something an examinee did (entered, left the page, submitted, a refused save)."""

    examinee = models.ForeignKey(
        Examinee, verbose_name=_("考生"), on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(_("事件"), max_length=16, choices=EventKind.choices)
    at = models.DateTimeField(_("时间（服务器）"))
    detail = models.CharField(_("说明"), max_length=255, blank=True)

    class Meta:
        ordering = ["examinee", "at", "id"]
        verbose_name = _("考试事件")
        verbose_name_plural = _("考试事件")

    def __str__(self):
        return f"{self.examinee} {self.kind}"


class OralRating(TimeStampedModel):
    """One team member's rubric for one leader in an oral sitting."""

    examinee = models.ForeignKey(
        Examinee, verbose_name=_("受测领导"), on_delete=models.CASCADE, related_name="ratings"
    )
    marker = models.ForeignKey(
        USER, verbose_name=_("评分人"), on_delete=models.PROTECT, related_name="+"
    )
    scores = models.JSONField(_("各项得分"), default=dict)
    total = models.DecimalField(_("合计"), **POINTS)
    note = models.CharField(_("评语"), max_length=255, blank=True)

    class Meta:
        ordering = ["examinee", "marker"]
        verbose_name = _("现场提问评分")
        verbose_name_plural = _("现场提问评分")
        constraints = [
            models.UniqueConstraint(fields=["examinee", "marker"], name="exams_rating_unique")
        ]

    def __str__(self):
        return f"{self.examinee} · {self.marker} = {self.total}"
