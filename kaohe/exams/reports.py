"""Reports of a sitting: per person, per unit (average, pass rate, distribution), per question
(how often right, discrimination), as one .xlsx."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kaohe.common.excel import Sheet, workbook_bytes

from . import marking as rules
from .choices import ExamineeStatus, SittingMode
from .models import Answer, Question
from .paper_engine import key_pk

BANDS = [
    (Decimal("90"), gettext_lazy("90 分及以上")),
    (Decimal("80"), "80–89"),
    (Decimal("70"), "70–79"),
    (Decimal("60"), "60–69"),
    (Decimal("0"), gettext_lazy("60 以下")),
]


def band(percent: Decimal) -> str:
    return str(next(label for low, label in BANDS if percent >= low))


def discrimination(per_person: list[tuple[Decimal, Decimal]]) -> Decimal | None:
    """Upper-27% minus lower-27% mean fraction earned on the question; None with < 4 sitters.

    per_person: (total score, fraction of this question's points earned) for each sitter.
    """
    if len(per_person) < 4:
        return None
    ranked = sorted(per_person, key=lambda row: row[0], reverse=True)
    size = max(1, round(len(ranked) * 27 / 100))
    upper = rules.mean([f for _total, f in ranked[:size]])
    lower = rules.mean([f for _total, f in ranked[-size:]])
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
    distribution = {str(label): 0 for _low, label in BANDS}
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
        right = sum(1 for _pts, f in fractions if f == 1)
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
            _("合格") if row["passed"] else _("不合格"),
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
        [_("考核对象"), sitting.subject.unit.name],
        [_("测试"), sitting.exam.title],
        [_("满分"), summary["full"]],
        [_("抽取人数"), summary["people"]],
        [_("实际参考"), summary["sat"]],
        [_("平均分"), summary["average"]],
        [_("平均得分率"), f"{summary['average_percent']}%"],
        [_("合格率"), f"{summary['pass_rate']}%"],
        *[
            [_("分数段 %(band)s") % {"band": label}, count]
            for label, count in summary["distribution"].items()
        ],
        [_("单位结果算法"), sitting.exam.get_unit_formula_display()],
        [
            _("单位结果"),
            f"{rules.q2(sitting.result_percent)}%"
            if sitting.result_percent is not None
            else _("未计算"),
        ],
    ]
    sheets = [
        # The per-person columns of the scheme report without its unit and test columns.
        Sheet(_("个人成绩"), [str(h) for h in PERSON_HEADERS[2:]], people),
        Sheet(_("单位统计"), [_("项目"), _("数值")], unit),
    ]
    if sitting.mode != SittingMode.ORAL:
        sheets.append(
            Sheet(
                _("试题分析"),
                [
                    _("题号"),
                    _("题型"),
                    _("题干"),
                    _("分值"),
                    _("作答人数"),
                    _("全对人数"),
                    _("正确率"),
                    _("区分度"),
                ],
                question_rows(sitting),
            )
        )
    return workbook_bytes(sheets)


UNIT_HEADERS = [
    gettext_lazy("考核对象"),
    gettext_lazy("指标"),
    gettext_lazy("测试"),
    gettext_lazy("方式"),
    gettext_lazy("状态"),
    gettext_lazy("抽取人数"),
    gettext_lazy("实考"),
    gettext_lazy("平均分"),
    gettext_lazy("平均得分率"),
    gettext_lazy("合格率"),
    gettext_lazy("单位结果"),
]
PERSON_HEADERS = [
    gettext_lazy("考核对象"),
    gettext_lazy("测试"),
    gettext_lazy("序号"),
    gettext_lazy("姓名"),
    gettext_lazy("类别"),
    gettext_lazy("状态"),
    gettext_lazy("得分"),
    gettext_lazy("得分率"),
    gettext_lazy("是否合格"),
    gettext_lazy("离开页面次数"),
    gettext_lazy("交卷时间"),
    gettext_lazy("交卷方式"),
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
        [
            Sheet(_("单位"), [str(h) for h in UNIT_HEADERS], units),
            Sheet(_("个人"), [str(h) for h in PERSON_HEADERS], people),
        ]
    )
