from django.db import models


class SchemeStatus(models.TextChoices):
    DRAFT = "draft", "草拟"
    ACTIVE = "active", "考核中"
    FROZEN = "frozen", "结果已冻结"
    PUBLICITY = "publicity", "公示中"
    FINAL = "final", "已定稿"


# Scores may be typed freely only while the scheme is being prepared or run.
SCORE_EDITABLE_STATUSES = (SchemeStatus.DRAFT, SchemeStatus.ACTIVE)

# The one definition of "published": from the public-notice period on, assessed units see their
# results, deductions, checklist answers and evidence. Frozen is not published: the office is
# still reviewing. Read it through Scheme.results_published, never compare statuses elsewhere.
RESULTS_PUBLISHED_STATUSES = (SchemeStatus.PUBLICITY, SchemeStatus.FINAL)


class ComponentCode(models.TextChoices):
    """The codes of the standard components; an assessment team scores only ON_SITE leaves."""

    DAILY = "daily", "日常考核"
    ON_SITE = "onsite", "实地考核"
    SATISFACTION = "satisfaction", "满意度调查"


class ScoreSource(models.TextChoices):
    """Where a stored leaf value came from (shown in the trace and the results export)."""

    MANUAL = "manual", "手工录入"
    IMPORT = "import", "Excel 导入"
    CHECKLIST = "checklist", "检查清单"
    CASE_REVIEW = "case_review", "案卷评查"
    FILING_CHECK = "filing_check", "备案审查"
    UNDERCOVER = "undercover", "暗访扣分"
    OBJECTION = "objection", "异议复核"
    EXAM = "exam", "能力测试"
    SURVEY = "survey", "满意度问卷"
    API = "api", "接口推送"
    DEMO = "demo", "演示数据"


class ScoringMethod(models.TextChoices):
    """How a leaf indicator's stored value becomes its score (see docs/scoring.md)."""

    ENTERED = "entered", "直接评分"
    DEDUCTION = "deduction", "扣分制（从满分扣减）"
    CHECKLIST = "checklist", "检查清单"
    DERIVED = "derived", "测试/问卷折算"
    BONUS = "bonus", "加分项"
    PENALTY = "penalty", "扣分项"
    VETO = "veto", "一票否决"


# Methods whose value is part of the component sum; the others act on the total or the grade.
COMPONENT_METHODS = (
    ScoringMethod.ENTERED,
    ScoringMethod.DEDUCTION,
    ScoringMethod.CHECKLIST,
    ScoringMethod.DERIVED,
)
