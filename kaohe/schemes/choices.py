from django.db import models
from django.utils.translation import gettext_lazy as _


class SchemeStatus(models.TextChoices):
    DRAFT = "draft", _("草拟")
    ACTIVE = "active", _("考核中")
    FROZEN = "frozen", _("结果已冻结")
    PUBLICITY = "publicity", _("公示中")
    FINAL = "final", _("已定稿")


# Scores may be typed freely only while the scheme is being prepared or run.
SCORE_EDITABLE_STATUSES = (SchemeStatus.DRAFT, SchemeStatus.ACTIVE)

# The one definition of "published": from the public-notice period on, assessed units see their
# results, deductions, checklist answers and evidence. Frozen is not published: the office is
# still reviewing. Read it through Scheme.results_published, never compare statuses elsewhere.
RESULTS_PUBLISHED_STATUSES = (SchemeStatus.PUBLICITY, SchemeStatus.FINAL)


class ComponentCode(models.TextChoices):
    """The codes of the standard components; an assessment team scores only ON_SITE leaves."""

    DAILY = "daily", _("日常考核")
    ON_SITE = "onsite", _("实地考核")
    SATISFACTION = "satisfaction", _("满意度调查")


class ScoreSource(models.TextChoices):
    """Where a stored leaf value came from (shown in the trace and the results export)."""

    MANUAL = "manual", _("手工录入")
    IMPORT = "import", _("Excel 导入")
    CHECKLIST = "checklist", _("检查清单")
    CASE_REVIEW = "case_review", _("案卷评查")
    FILING_CHECK = "filing_check", _("备案审查")
    UNDERCOVER = "undercover", _("暗访扣分")
    OBJECTION = "objection", _("异议复核")
    EXAM = "exam", _("能力测试")
    SURVEY = "survey", _("满意度问卷")
    API = "api", _("接口推送")
    DEMO = "demo", _("演示数据")


class ScoringMethod(models.TextChoices):
    """How a leaf indicator's stored value becomes its score (see docs/scoring.md)."""

    ENTERED = "entered", _("直接评分")
    DEDUCTION = "deduction", _("扣分制（从满分扣减）")
    CHECKLIST = "checklist", _("检查清单")
    DERIVED = "derived", _("测试/问卷折算")
    BONUS = "bonus", _("加分项")
    PENALTY = "penalty", _("扣分项")
    VETO = "veto", _("一票否决")


# Methods whose value is part of the component sum; the others act on the total or the grade.
COMPONENT_METHODS = (
    ScoringMethod.ENTERED,
    ScoringMethod.DEDUCTION,
    ScoringMethod.CHECKLIST,
    ScoringMethod.DERIVED,
)
