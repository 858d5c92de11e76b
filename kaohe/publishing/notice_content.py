"""What the results notice says: grade lists from the results, and a draft of the narrative."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.apps import apps
from django.db import transaction

from kaohe.audit.services import audit_record
from kaohe.publishing import audit_actions
from kaohe.schemes.models import GradeLevel, Scheme
from kaohe.scoring.models import SubjectResult

from .choices import NoticeOrder
from .models import Notice

CN_DIGITS = "零一二三四五六七八九"
NOTICE_TEXT_FIELDS = [
    "issuing_office",
    "doc_number",
    "title",
    "addressees",
    "intro",
    "organisation",
    "achievements",
    "problems",
    "requirements",
    "closing",
    "order",
    "signature",
    "issue_date",
    "printer",
    "print_date",
]
SECTION_TITLES = [
    ("organisation", "考核组织实施情况"),
    ("results", "考评结果及等次"),
    ("achievements", "工作主要成效"),
    ("problems", "存在问题"),
    ("requirements", "下一步工作要求"),
]


def cn_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 21 → 二十一 (enough for headings)."""
    if n < 10:
        return CN_DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else CN_DIGITS[tens]) + "十" + ("" if ones == 0 else CN_DIGITS[ones])


def cn_date(value: date | None) -> str:
    """GB/T 9704 dates: Arabic numerals, no leading zeros — 2021年7月1日."""
    if value is None:
        return ""
    return f"{value.year}年{value.month}月{value.day}日"


@dataclass
class GradeGroup:
    grade: str
    units: list[str]

    @property
    def count(self) -> int:
        return len(self.units)

    @property
    def names(self) -> str:
        return "、".join(self.units)


@dataclass
class CategoryList:
    name: str
    grades: list[GradeGroup] = field(default_factory=list)

    def lines(self) -> list[str]:
        return [
            f"{i}. 考核结果为{g.grade}等次的{self.name}{g.count}个：{g.names}"
            for i, g in enumerate(self.grades, start=1)
        ]


def grade_lists(scheme: Scheme, order: str = NoticeOrder.OFFICIAL) -> list[CategoryList]:
    """Per grading category, the units of each grade (highest grade first), in rank or unit order."""
    grade_rank: dict[str, int] = {}
    for level in GradeLevel.objects.filter(scheme=scheme).order_by("order", "-min_total"):
        grade_rank.setdefault(level.name, level.order)
    results = SubjectResult.objects.filter(scheme=scheme).select_related(
        "subject__unit", "grading_category"
    )
    if order == NoticeOrder.RANK:
        results = results.order_by("grading_category__order", "rank", "subject__order")
    else:
        results = results.order_by(
            "grading_category__order", "subject__order", "subject__unit__order"
        )
    categories: dict[int, CategoryList] = {}
    grouped: dict[int, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for r in results:
        categories.setdefault(r.grading_category_id, CategoryList(r.grading_category.name))
        grouped[r.grading_category_id][r.grade].append(r.subject.unit.name)
    for cat_id, cat in categories.items():
        grades = sorted(grouped[cat_id], key=lambda g: grade_rank.get(g, 99))
        cat.grades = [GradeGroup(g, grouped[cat_id][g]) for g in grades]
    return list(categories.values())


def team_sentence(scheme: Scheme) -> str:
    """抽调8名专业人员组成四个考核组，分别由4名县级领导干部担任组长，带队 (from the teams)."""
    try:
        team_model = apps.get_model("onsite", "Team")
    except LookupError:
        return ""
    teams = list(team_model.objects.filter(scheme=scheme).prefetch_related("members"))
    if not teams:
        return ""
    people = {t.leader_id for t in teams} | {m.pk for t in teams for m in t.members.all()}
    text = f"抽调{len(people)}名专业人员组成{cn_number(len(teams))}个考核组，"
    ranks = {t.leader_rank for t in teams}
    if len(ranks) == 1 and "" not in ranks:
        text += f"分别由{len(teams)}名{ranks.pop()}担任组长，带队"
    return text


def draft_organisation(scheme: Scheme) -> str:
    """Section 一 drafted from the scheme's facts (dates, teams, subjects, weights), as in seed 003."""
    office = scheme.issuing_office or str(scheme.owner_unit)
    subjects = scheme.subjects.select_related("unit", "unit_category").order_by(
        "unit_category__order", "order"
    )
    by_category: dict[str, list[str]] = {}
    for s in subjects:
        by_category.setdefault(s.unit_category.name, []).append(s.unit.name)
    who = "，".join(f"{names[0]}等{len(names)}个{cat}" for cat, names in by_category.items())
    when = ""
    if scheme.onsite_start and scheme.onsite_end:
        when = f"{cn_date(scheme.onsite_start)}——{cn_date(scheme.onsite_end)}，"
    team_text = team_sentence(scheme)
    components = list(scheme.components.order_by("order", "id"))
    parts = "；".join(
        f"{cn_number(i)}是{c.name}占{c.weight.normalize():f}%"
        for i, c in enumerate(components, start=1)
    )
    formulas = "".join(f"{c.name}计算方法：100分×{c.weight.normalize():f}%。" for c in components)
    return (
        f"{when}{office}{team_text}对{who}（共{len(subjects)}个单位）进行{scheme.year}年度"
        "依法行政工作考核。考核采取日常考核与集中考核相结合、书面审查与实地考核相结合的方式进行，"
        "努力做到考核结果客观、全面、公正。"
        f"考核实行百分制，考核综合成绩由{cn_number(len(components))}部分组成，{parts}。"
        f"{formulas}各部分成绩相加即为最终考核成绩。"
    )


def draft_fields(scheme: Scheme) -> dict:
    office = scheme.issuing_office or str(scheme.owner_unit)
    return {
        "issuing_office": office,
        "doc_number": "",
        "title": f"{office}关于{scheme.year}年度依法行政考核情况的通报",
        "addressees": "各考核对象：",
        "intro": (
            f"按照{scheme.year}年度依法行政考核工作安排，{office}对各考核对象{scheme.year}年度"
            "依法行政工作开展情况进行了考核，现将考核结果通报如下："
        ),
        "organisation": draft_organisation(scheme),
        "signature": office,
        "printer": office,
    }


@transaction.atomic
def notice_prepare(*, scheme: Scheme, actor=None) -> Notice:
    """The scheme's notice, created with a draft; later calls fill only fields still empty."""
    notice = Notice.objects.select_for_update().filter(scheme=scheme).first()
    draft = draft_fields(scheme)
    if notice is None:
        notice = Notice.objects.create(scheme=scheme, **draft)
        audit_record(
            action=audit_actions.NOTICE_CREATE, actor=actor, obj=notice, scheme_id=scheme.pk
        )
        return notice
    filled = {k: v for k, v in draft.items() if v and not getattr(notice, k)}
    if filled:
        for key, value in filled.items():
            setattr(notice, key, value)
        notice.save()
        audit_record(
            action=audit_actions.NOTICE_DRAFT_FILL,
            actor=actor,
            obj=notice,
            scheme_id=scheme.pk,
            after=filled,
        )
    return notice
