from django.db import models
from django.utils.translation import gettext_lazy as _


class SchemeStatus(models.TextChoices):
    DRAFT = "draft", "草拟"
    ACTIVE = "active", "考核中"
    FROZEN = "frozen", "结果已冻结"
    PUBLICITY = "publicity", "公示中"
    FINAL = "final", "已定稿"


# Scores may be typed freely only while the scheme is being prepared or run.
SCORE_EDITABLE_STATUSES = (SchemeStatus.DRAFT, SchemeStatus.ACTIVE)


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


class RankOrder(models.TextChoices):
    RANK = "rank", "按名次"
    OFFICIAL = "official", "按单位序列"


class ScoreSource(models.TextChoices):
    """Where a stored score came from (ScoreEntry.source), as shown on pages and in exports."""

    MANUAL = "manual", _("手工录入")
    IMPORT = "import", _("文件导入")
    CHECKLIST = "checklist", _("检查清单")
    CASE_REVIEW = "case_review", _("案卷评查")
    FILING_CHECK = "filing_check", _("备案审查")
    UNDERCOVER = "undercover", _("暗访扣分")
    OBJECTION = "objection", _("异议复核")
    OFFICE = "office", _("考核办调整")
    DEMO = "demo", _("演示数据")


def score_source_label(code: str) -> str:
    """The Chinese label of a source code; an unknown code is shown as it is."""
    try:
        return str(ScoreSource(code).label)
    except ValueError:
        return code
