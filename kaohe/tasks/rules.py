"""Nomination rules read from the task table's words and checked against a list.

Seed 000 asks "各推荐5名行政执法人员（其中科级干部不少于3人）" and "各推荐一家民营企业".
`parse_rule` turns such text into numbers on the task; `check_people` / `check_enterprises`
return the problems in words (empty list = the list satisfies the rule).
"""

import re
from dataclasses import dataclass

from django.utils.translation import gettext, pgettext

from kaohe.orgs.choices import PersonLevel

from .choices import SpecialForm

CN_DIGITS = {
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
LEVEL_WORDS = {
    "行政执法人员": PersonLevel.ENFORCEMENT,
    "中层干部": PersonLevel.MIDDLE,
    "一般干部": PersonLevel.GENERAL,
    "班子成员": PersonLevel.LEADERSHIP,
}
NUMBER = r"(\d+|十[一二三四五六七八九]?|[一二两三四五六七八九]十?[一二三四五六七八九]?)"
PEOPLE_RE = re.compile(
    rf"推荐{NUMBER}名([^（(，,。；;\d]*)(?:[（(]其中科级(?:干部)?不少于{NUMBER}人[）)])?"
)
ENTERPRISE_RE = re.compile(rf"推荐{NUMBER}家(民营)?企业")


def cn_number(text: str) -> int:
    """'5' → 5, '五' → 5, '十二' → 12, '二十' → 20."""
    if text.isdigit():
        return int(text)
    if "十" in text:
        tens, _, ones = text.partition("十")
        return (CN_DIGITS.get(tens, 1) if tens else 1) * 10 + (
            CN_DIGITS.get(ones, 0) if ones else 0
        )
    return CN_DIGITS.get(text, 0)


@dataclass(frozen=True)
class Rule:
    form: str = SpecialForm.NONE
    count: int = 0
    level: str = ""
    min_section: int = 0


def parse_rule(materials: str) -> Rule:
    """Find a nomination rule in the materials text; Rule() when there is none."""
    text = materials or ""
    match = PEOPLE_RE.search(text)
    if match:
        who = match.group(2).strip()
        level = next((lv for word, lv in LEVEL_WORDS.items() if word in who), "")
        section = cn_number(match.group(3)) if match.group(3) else 0
        return Rule(SpecialForm.PEOPLE, cn_number(match.group(1)), level, section)
    match = ENTERPRISE_RE.search(text)
    if match:
        return Rule(SpecialForm.ENTERPRISE, cn_number(match.group(1)))
    return Rule()


def rule_text(task) -> str:
    """The rule in words, as the office and the unit read it."""
    if task.special_form == SpecialForm.PEOPLE:
        who = (
            PersonLevel(task.nominee_level).label
            if task.nominee_level
            else pgettext("nominee kind", "人员")
        )
        values = {"n": task.nominee_count, "who": who, "m": task.min_section_level}
        if task.min_section_level:
            return gettext("推荐%(n)s名%(who)s，其中科级干部不少于%(m)s人") % values
        return gettext("推荐%(n)s名%(who)s") % values
    if task.special_form == SpecialForm.ENTERPRISE:
        return gettext("推荐%(n)s家民营企业") % {"n": task.nominee_count}
    return ""


def check_people(task, people) -> list[str]:
    """Problems with a list of Person rows for a people-nomination task."""
    problems = []
    rule = rule_text(task)
    ids = [p.pk for p in people]
    if len(set(ids)) != len(ids):
        problems.append(gettext("同一人员不能重复推荐。"))
    for person in people:
        if person.unit_id != task.unit_id or not person.is_active:
            problems.append(gettext("%(name)s 不是本单位在职人员。") % {"name": person.name})
        elif task.nominee_level and person.level != task.nominee_level:
            problems.append(
                gettext("%(name)s 的层级是「%(level)s」，不是「%(wanted)s」。")
                % {
                    "name": person.name,
                    "level": person.get_level_display(),
                    "wanted": PersonLevel(task.nominee_level).label,
                }
            )
    if len(people) != task.nominee_count:
        problems.append(
            gettext("应推荐 %(n)s 人，当前 %(now)s 人。")
            % {"n": task.nominee_count, "now": len(people)}
        )
    section = sum(1 for p in people if p.is_section_level)
    if section < task.min_section_level:
        problems.append(
            gettext("科级干部应不少于 %(n)s 人，当前 %(now)s 人。")
            % {"n": task.min_section_level, "now": section}
        )
    return [
        gettext("不符合要求「%(rule)s」：%(problem)s") % {"rule": rule, "problem": p}
        for p in problems
    ]


CREDIT_CODE_RE = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{18}$")


def check_enterprises(task, enterprises: list[dict]) -> list[str]:
    """Problems with a list of {'enterprise_name', 'credit_code', 'contact'} dicts."""
    problems = []
    rule = rule_text(task)
    names = [e.get("enterprise_name", "").strip() for e in enterprises]
    if any(not n for n in names):
        problems.append(gettext("企业名称不能为空。"))
    if len(set(names)) != len(names):
        problems.append(gettext("同一企业不能重复推荐。"))
    for entry in enterprises:
        code = entry.get("credit_code", "").strip().upper()
        if code and not CREDIT_CODE_RE.match(code):
            problems.append(
                gettext("%(name)s 的统一社会信用代码应为 18 位。")
                % {"name": entry.get("enterprise_name")}
            )
    if len(enterprises) != task.nominee_count:
        problems.append(
            gettext("应推荐 %(n)s 家，当前 %(now)s 家。")
            % {"n": task.nominee_count, "now": len(enterprises)}
        )
    return [
        gettext("不符合要求「%(rule)s」：%(problem)s") % {"rule": rule, "problem": p}
        for p in problems
    ]
