"""Reports of a sitting: per person, per unit (average, pass rate, distribution), per question
(how often right, discrimination), as one .xlsx."""

from __future__ import annotations

from decimal import Decimal

from kaohe.common.excel import Sheet, workbook_bytes

from . import marking as rules
from .choices import ExamineeStatus, SittingMode
from .models import Answer, Question
from .paper_engine import key_pk

BANDS = [
    (Decimal("90"), "90 分及以上"),
    (Decimal("80"), "80–89"),
    (Decimal("70"), "70–79"),
    (Decimal("60"), "60–69"),
    (Decimal("0"), "60 以下"),
]


def band(percent: Decimal) -> str:
    return next(label for low, label in BANDS if percent >= low)


def discrimination(per_person: list[tuple[Decimal, Decimal]]) -> Decimal | None:
    """Upper-27% minus lower-27% mean fraction earned on the question; None with < 4 sitters.

    per_person: (total score, fraction of this question's points earned) for each sitter.
    """
    if len(per_person) < 4:
        return None
    ranked = sorted(per_person, key=lambda row: row[0], reverse=True)
    size = max(1, round(len(ranked) * 27 / 100))
    upper = rules.mean([f for _, f in ranked[:size]])
    lower = rules.mean([f for _, f in ranked[-size:]])
    return rules.q2(upper - lower)


def _full(sitting) -> Decimal:
    if sitting.mode == SittingMode.ORAL:
        from .services.marking import oral_full

        return oral_full(sitting.exam)
    return sitting.full_marks


def unit_summary(sitting) -> dict:
    examinees = list(sitting.examinees.all())
    full = _full(sitting)
    scores = [e.score or Decimal("0") for e in examinees]
    percents = [rules.percent(s, full) for s in scores]
    distribution = {label: 0 for _, label in BANDS}
    for p in percents:
        distribution[band(p)] += 1
    return {
        "people": len(examinees),
        "sat": sum(1 for e in examinees if e.status == ExamineeStatus.SUBMITTED),
        "average": rules.q2(rules.mean(scores)) if scores else Decimal("0"),
        "average_percent": rules.q2(
            rules.unit_result(scores, full, "average", sitting.exam.pass_percent)
        ),
        "pass_rate": rules.q2(
            rules.unit_result(scores, full, "pass_rate", sitting.exam.pass_percent)
        ),
        "distribution": distribution,
        "full": full,
    }


def question_rows(sitting) -> list[list]:
    from .services.sittings import paper_items

    items = paper_items(sitting)
    questions = Question.objects.in_bulk([key_pk(p["key"]) for p in items])
    totals = {
        e.pk: e.score or Decimal("0")
        for e in sitting.examinees.filter(status=ExamineeStatus.SUBMITTED)
    }
    marks: dict[int, dict[int, Decimal]] = {}
    for examinee_id, question_id, points in Answer.objects.filter(
        examinee_id__in=totals
    ).values_list("examinee_id", "question_id", "points"):
        marks.setdefault(question_id, {})[examinee_id] = points or Decimal("0")
    rows = []
    for number, item in enumerate(items, start=1):
        question = questions[key_pk(item["key"])]
        top = Decimal(item["points"])
        got = marks.get(question.pk, {})
        fractions = [(totals[e], got.get(e, Decimal("0")) / top) for e in totals]
        right = sum(1 for _, f in fractions if f == 1)
        d = discrimination(fractions)
        rows.append(
            [
                number,
                question.get_qtype_display(),
                question.stem[:80],
                top,
                len(fractions),
                right,
                f"{rules.q2(Decimal(right) * 100 / len(fractions))}%" if fractions else "",
                "" if d is None else d,
            ]
        )
    return rows


def person_results(sitting) -> list[dict]:
    """Each drawn person's mark as the sitting page and the report show it (the report's rows
    and the API's per-examinee results): score, share of full marks, passed or not."""
    full = _full(sitting)
    people = []
    for e in sitting.examinees.all():
        share = rules.percent(e.score or Decimal("0"), full)
        people.append(
            {
                "examinee": e,
                "percent": rules.q2(share),
                "passed": share >= sitting.exam.pass_percent,
            }
        )
    return people


def person_rows(sitting) -> list[list]:
    return [
        [
            e.seat,
            e.name,
            e.stratum,
            e.get_status_display(),
            e.score if e.score is not None else "",
            f"{row['percent']}%",
            "合格" if row["passed"] else "不合格",
            e.leave_count,
            e.submitted_at.strftime("%Y-%m-%d %H:%M:%S") if e.submitted_at else "",
            e.get_submit_reason_display(),
        ]
        for row in person_results(sitting)
        for e in [row["examinee"]]
    ]


def sitting_report_xlsx(sitting) -> bytes:
    people = person_rows(sitting)
    summary = unit_summary(sitting)
    unit = [
        ["考核对象", sitting.subject.unit.name],
        ["测试", sitting.exam.title],
        ["满分", summary["full"]],
        ["抽取人数", summary["people"]],
        ["实际参考", summary["sat"]],
        ["平均分", summary["average"]],
        ["平均得分率", f"{summary['average_percent']}%"],
        ["合格率", f"{summary['pass_rate']}%"],
        *[[f"分数段 {label}", count] for label, count in summary["distribution"].items()],
        ["单位结果算法", sitting.exam.get_unit_formula_display()],
        [
            "单位结果",
            f"{rules.q2(sitting.result_percent)}%"
            if sitting.result_percent is not None
            else "未计算",
        ],
    ]
    sheets = [
        Sheet(
            "个人成绩",
            [
                "序号",
                "姓名",
                "类别",
                "状态",
                "得分",
                "得分率",
                "是否合格",
                "离开页面次数",
                "交卷时间",
                "交卷方式",
            ],
            people,
        ),
        Sheet("单位统计", ["项目", "数值"], unit),
    ]
    if sitting.mode != SittingMode.ORAL:
        sheets.append(
            Sheet(
                "试题分析",
                ["题号", "题型", "题干", "分值", "作答人数", "全对人数", "正确率", "区分度"],
                question_rows(sitting),
            )
        )
    return workbook_bytes(sheets)


UNIT_HEADERS = [
    "考核对象",
    "指标",
    "测试",
    "方式",
    "状态",
    "抽取人数",
    "实考",
    "平均分",
    "平均得分率",
    "合格率",
    "单位结果",
]
PERSON_HEADERS = [
    "考核对象",
    "测试",
    "序号",
    "姓名",
    "类别",
    "状态",
    "得分",
    "得分率",
    "是否合格",
    "离开页面次数",
    "交卷时间",
    "交卷方式",
]


def _unit_row(sitting) -> list:
    """One sitting's unit line: who was drawn and sat, average, pass rate, the unit result."""
    summary = unit_summary(sitting)
    return [
        sitting.subject.unit.name,
        sitting.exam.indicator.code,
        sitting.exam.title,
        sitting.get_mode_display(),
        sitting.get_status_display(),
        summary["people"],
        summary["sat"],
        summary["average"],
        f"{summary['average_percent']}%",
        f"{summary['pass_rate']}%",
        f"{rules.q2(sitting.result_percent)}%" if sitting.result_percent is not None else "",
    ]


def scheme_report_xlsx(sittings) -> bytes:
    """Every sitting the user works on: one row per unit and test, one per person."""
    units, people = [], []
    for sitting in sittings:
        units.append(_unit_row(sitting))
        people.extend(
            [sitting.subject.unit.name, sitting.exam.title, *row] for row in person_rows(sitting)
        )
    return workbook_bytes(
        [Sheet("单位", UNIT_HEADERS, units), Sheet("个人", PERSON_HEADERS, people)]
    )
