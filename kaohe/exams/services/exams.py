"""An exam of a scheme: which leaf it feeds, its paper rule and its marking rules."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kaohe.audit.services import audit_record

from .. import audit_actions as actions
from ..choices import TYPE_ORDER, Difficulty, ExamKind, MultiplePolicy, UnitFormula
from ..models import Exam, RuleLine, Topic

# Seed 000, 领导干部依法行政能力测试: 围绕主题、结合实际，思路清晰、表述流畅、层次分明.
DEFAULT_CRITERIA = [
    {"name": "围绕主题", "weight": "30"},
    {"name": "结合实际", "weight": "30"},
    {"name": "思路清晰、层次分明", "weight": "20"},
    {"name": "表述流畅", "weight": "20"},
]
EXAM_METHODS = ("entered", "derived")


def _clean_lines(lines: list[dict]) -> list[dict]:
    out = []
    for index, line in enumerate(lines, start=1):
        qtype = line.get("type")
        if qtype not in TYPE_ORDER:
            raise ValidationError(_("第 %(n)s 条规则：题型无效。") % {"n": index})
        difficulty = str(line.get("difficulty") or "")
        if difficulty and difficulty not in Difficulty.values:
            raise ValidationError(_("第 %(n)s 条规则：难度无效。") % {"n": index})
        try:
            count = int(line.get("count"))
            points = Decimal(str(line.get("points")))
        except (TypeError, ValueError, InvalidOperation):
            raise ValidationError(
                _("第 %(n)s 条规则：题数或分值不是数字。") % {"n": index}
            ) from None
        if not 1 <= count <= 200 or not points.is_finite() or not 0 < points <= 100:
            raise ValidationError(
                _("第 %(n)s 条规则：题数 1–200，每题分值大于 0 且不超过 100。") % {"n": index}
            )
        topic = (line.get("topic") or "").strip()
        topic_obj = Topic.objects.get_or_create(name=topic[:64])[0] if topic else None
        out.append(
            {
                "qtype": qtype,
                "topic": topic_obj,
                "difficulty": difficulty,
                "count": count,
                "points": points,
            }
        )
    if not out:
        raise ValidationError(_("请至少填写一条组卷规则。"))
    return out


def _clean_criteria(criteria: list[dict]) -> list[dict]:
    out = []
    for item in criteria:
        name = str(item.get("name") or "").strip()
        try:
            weight = Decimal(str(item.get("weight")))
        except InvalidOperation:
            raise ValidationError(_("评分项“%(name)s”的分值不是数字。") % {"name": name}) from None
        if not name or not weight.is_finite() or weight <= 0:
            raise ValidationError(_("评分项须有名称和大于 0 的分值。"))
        out.append({"name": name[:64], "weight": format(weight.normalize(), "f")})
    return out


def _check_fields(indicator, kind, policy, formula, pass_percent, minutes, window) -> None:
    if indicator.children.exists() or indicator.method not in EXAM_METHODS:
        raise ValidationError(_("测试只能对应“直接评分”或“测试/问卷折算”的末级指标。"))
    if kind not in ExamKind.values or policy not in MultiplePolicy.values:
        raise ValidationError(_("测试方式或多选题评分方式无效。"))
    if formula not in UnitFormula.values:
        raise ValidationError(_("单位得分算法无效。"))
    if not Decimal("0") <= Decimal(pass_percent) <= Decimal("100"):
        raise ValidationError(_("合格线须在 0 到 100 之间。"))
    if not 1 <= int(minutes) <= 600 or not 0 <= int(window) <= 20:
        raise ValidationError(_("考试时长 1–600 分钟，回避场次 0–20。"))


@transaction.atomic
def exam_save(
    *,
    indicator,
    bank,
    kind: str,
    title: str,
    lines: list[dict],
    time_limit_minutes: int = 30,
    pass_percent: Decimal = Decimal("60"),
    shuffle_questions: bool = True,
    shuffle_options: bool = True,
    multiple_policy: str = MultiplePolicy.ALL_OR_NOTHING,
    unit_formula: str = UnitFormula.AVERAGE,
    recent_window: int = 3,
    criteria: list[dict] | None = None,
    double_marking: bool = False,
    double_gap: Decimal = Decimal("20"),
    actor=None,
) -> Exam:
    """Create or replace the exam feeding `indicator` (a leaf scored by entry or derivation)."""
    _check_fields(
        indicator,
        kind,
        multiple_policy,
        unit_formula,
        pass_percent,
        time_limit_minutes,
        recent_window,
    )
    clean = _clean_lines(lines)
    criteria = (
        _clean_criteria(criteria if criteria else DEFAULT_CRITERIA) if kind == ExamKind.ORAL else []
    )
    exam = Exam.objects.filter(indicator=indicator).first() or Exam(indicator=indicator)
    before = None if exam.pk is None else {"title": exam.title, "lines": exam.lines.count()}
    exam.scheme_id, exam.bank, exam.kind = indicator.scheme_id, bank, kind
    exam.title = title.strip()[:128] or indicator.name
    exam.time_limit_minutes, exam.pass_percent = int(time_limit_minutes), Decimal(pass_percent)
    exam.shuffle_questions, exam.shuffle_options = bool(shuffle_questions), bool(shuffle_options)
    exam.multiple_policy, exam.unit_formula = multiple_policy, unit_formula
    exam.recent_window, exam.criteria = int(recent_window), criteria
    exam.double_marking, exam.double_gap = bool(double_marking), Decimal(double_gap)
    if not Decimal("0") <= exam.double_gap <= Decimal("100"):
        raise ValidationError(_("双评允许分差须在 0 到 100 之间。"))
    exam.save()
    exam.lines.all().delete()
    RuleLine.objects.bulk_create(
        [RuleLine(exam=exam, order=i, **line) for i, line in enumerate(clean)]
    )
    _audit(exam, clean, before, actor)
    return exam


def _audit(exam: Exam, clean: list[dict], before, actor) -> None:
    audit_record(
        action=actions.EXAM_SAVE,
        actor=actor,
        obj=exam,
        scheme_id=exam.scheme_id,
        before=before,
        after={
            "indicator": exam.indicator.code,
            "bank": exam.bank.name,
            "lines": [
                {**line, "topic": line["topic"].name if line["topic"] else ""} for line in clean
            ],
            "unit_formula": exam.unit_formula,
            "criteria": exam.criteria,
            "double_marking": exam.double_marking,
            "double_gap": exam.double_gap,
        },
    )


def rule_of(exam: Exam) -> dict:
    """The exam's rule as the paper engine hashes it."""
    return {
        "lines": [
            {
                "type": line.qtype,
                "topic": line.topic.name if line.topic_id else "",
                "difficulty": line.difficulty,
                "count": line.count,
                "points": str(line.points),
            }
            for line in exam.lines.select_related("topic")
        ],
        "recent_window": exam.recent_window,
    }
