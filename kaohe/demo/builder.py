"""Build the seeds' 2020 assessment: units, scheme puyang-2020, demo scores and accounts.

Scores are generated from a fixed random seed so that the results reproduce seed 003's
grades exactly (tests assert it). Safe to run twice: an existing demo is left alone.
"""

import random
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db import transaction

from kaohe.accounts.choices import Role
from kaohe.accounts.models import User
from kaohe.accounts.services import role_assign, user_create
from kaohe.orgs.choices import PersonLevel
from kaohe.orgs.models import Person, Unit, UnitCategory
from kaohe.orgs.services import unit_create
from kaohe.schemes.choices import SchemeStatus, ScoreSource, ScoringMethod
from kaohe.schemes.models import Indicator, Scheme, ScoreEntry, Subject
from kaohe.schemes.services import (
    grading_category_create,
    indicator_create,
    scheme_create,
    subject_enrol,
)

from . import seed2020 as seed

SCHEME_CODE = "puyang-2020"
DEMO_PASSWORD = settings.KAOHE_DEMO_PASSWORD  # public: refused at login outside the demo
TENTH = Decimal("0.1")


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: str
    description: str


DEMO_ACCOUNTS = [
    DemoAccount("office", Role.OFFICE_ADMIN, "考核办管理员（濮阳市及下级全部单位）"),
    DemoAccount("team1", Role.TEAM_LEADER, "第一考核组组长"),
    DemoAccount("qingfeng", Role.UNIT_USER, "清丰县 单位用户"),
    DemoAccount("sifaju", Role.UNIT_USER, "市司法局 单位用户"),
    DemoAccount("admin", "superuser", "系统超级管理员（仅演示环境）"),
]


def demo_exists() -> bool:
    return Scheme.objects.filter(code=SCHEME_CODE).exists()


def _categories():
    county, _ = UnitCategory.objects.get_or_create(
        code="county", defaults={"name": "县区", "order": 1}
    )
    zone, _ = UnitCategory.objects.get_or_create(
        code="zone", defaults={"name": "功能区", "order": 2}
    )
    dept, _ = UnitCategory.objects.get_or_create(
        code="department", defaults={"name": "市直部门", "order": 3}
    )
    return county, zone, dept


def build_units():
    county, zone, dept = _categories()
    city = unit_create(name=seed.CITY, short_name="濮阳")
    office = unit_create(name=seed.OFFICE, parent=city, short_name="市法治办")
    for name in seed.OTHER_CITY_UNITS:
        unit_create(name=name, parent=city)
    units = {}
    order = 0
    for names, category in ((seed.COUNTIES, county), (seed.ZONES, zone), (seed.DEPARTMENTS, dept)):
        for name in names:
            order += 1
            units[name] = unit_create(name=name, parent=city, category=category, order=order)
    for unit in units.values():
        unit.contact_email = f"unit{unit.pk}@example.invalid"
    Unit.objects.bulk_update(units.values(), ["contact_email"])
    return city, office, units


def _people(unit: Unit, rng: random.Random) -> None:
    """A plausible staff list for sampling: 1 head, 3 leaders, 10 middle, 8 general, 6 enforcement."""
    surnames = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
    given = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚"
    plan = [
        (PersonLevel.HEAD, 1),
        (PersonLevel.LEADERSHIP, 3),
        (PersonLevel.MIDDLE, 10),
        (PersonLevel.GENERAL, 8),
        (PersonLevel.ENFORCEMENT, 6),
    ]
    people = []
    for level, count in plan:
        for _ in range(count):
            name = rng.choice(surnames) + rng.choice(given) + rng.choice(given)
            section = level in (PersonLevel.MIDDLE, PersonLevel.LEADERSHIP) or (
                level == PersonLevel.ENFORCEMENT and rng.random() < 0.6
            )
            people.append(
                Person(
                    unit=unit,
                    name=name,
                    level=level,
                    is_section_level=section,
                    post=PersonLevel(level).label,
                )
            )
    Person.objects.bulk_create(people)


def build_scheme(city: Unit, units: dict[str, Unit]) -> Scheme:
    """Create scheme puyang-2020 with its grading categories, indicators and subjects."""
    county, zone, dept = _categories()
    scheme = scheme_create(
        code=SCHEME_CODE,
        name="2020年度依法行政考核",
        year=2020,
        owner_unit=city,
        issuing_office=seed.OFFICE,
    )
    scheme.penalty_cap = Decimal("5")
    scheme.onsite_start, scheme.onsite_end = date(2021, 1, 25), date(2021, 2, 5)
    scheme.status = SchemeStatus.ACTIVE
    scheme.save()
    components = {c.code: c for c in scheme.components.all()}
    grading_category_create(scheme=scheme, name="县(区)", unit_categories=[county, zone], order=1)
    grading_category_create(scheme=scheme, name="市直部门", unit_categories=[dept], order=2)
    _flat_indicators(scheme, components["daily"], seed.DAILY_ITEMS)
    _onsite_indicators(scheme, components["onsite"], county_categories=[county, zone])
    _flat_indicators(scheme, components["satisfaction"], seed.SATISFACTION_ITEMS)
    for name in seed.COUNTIES + seed.ZONES + seed.DEPARTMENTS:
        subject_enrol(scheme=scheme, unit=units[name], order=units[name].order)
    return scheme


def _flat_indicators(scheme: Scheme, component, items) -> None:
    """One top-level indicator per (code, name, max) item of a component without a tree."""
    for order, (code, name, top) in enumerate(items):
        indicator_create(
            scheme=scheme,
            component=component,
            code=code,
            name=name,
            max_score=Decimal(top),
            order=order,
        )


def _onsite_indicators(scheme: Scheme, component, *, county_categories: list) -> None:
    """The two-level on-site tree, with responsible units matched by (aliased) name."""
    by_name = {u.name: u for u in Unit.objects.all()}
    for l1_index, (l1_name, children) in enumerate(seed.ONSITE_TREE, start=1):
        parent = indicator_create(
            scheme=scheme,
            component=component,
            code=f"X{l1_index}",
            name=l1_name,
            order=l1_index,
        )
        for l2_index, row in enumerate(children, start=1):
            name, content, requirement, responsible, materials, top, method, applies = row
            indicator_create(
                scheme=scheme,
                parent=parent,
                code=f"X{l1_index}.{l2_index}",
                name=name,
                content=content,
                requirement=requirement,
                responsible_text=responsible,
                materials=materials,
                deadline=seed.DEADLINE,
                max_score=Decimal(top),
                method=method,
                order=l2_index,
                applies_to=county_categories if applies == "county" else [],
                responsible_units=_responsible_units(responsible, by_name),
            )


def _responsible_units(responsible: str, by_name: dict[str, Unit]) -> list[Unit]:
    """Units named on the lines of a responsibility text; unknown names are skipped."""
    matched = []
    for raw in responsible.split("\n"):
        unit = by_name.get(seed.RESPONSIBLE_ALIASES.get(raw, raw))
        if unit is not None:
            matched.append(unit)
    return matched


def _target(rng: random.Random, excellent: bool) -> Decimal:
    low, high = (906, 965) if excellent else (808, 892)
    return Decimal(rng.randint(low, high)) / 1000


def generate_scores(scheme: Scheme, rng: random.Random, excellent: set[str]) -> None:
    """Deterministic leaf values: each leaf near the subject's target fraction of its max."""
    leaves = list(
        Indicator.objects.filter(scheme=scheme, children__isnull=True).prefetch_related(
            "applies_to"
        )
    )
    entries = []
    for subject in Subject.objects.filter(scheme=scheme).select_related("unit").order_by("order"):
        fraction = _target(rng, subject.unit.name in excellent)
        for leaf in leaves:
            applies = {c.pk for c in leaf.applies_to.all()}
            if applies and subject.unit_category_id not in applies:
                continue
            top = leaf.max_score
            share = fraction + Decimal(rng.randint(-15, 15)) / 1000
            got = min(top, (top * share).quantize(TENTH, rounding=ROUND_HALF_UP))
            if leaf.method == ScoringMethod.DEDUCTION:
                value, note = top - got, "抽查发现问题扣分"
            elif leaf.method == ScoringMethod.PENALTY:
                if subject.unit.name in excellent or rng.random() < 0.6:
                    continue
                value, note = Decimal("0.5"), "暗访发现窗口人员服务不规范"
            else:
                value, note = got, ""
            entries.append(
                ScoreEntry(
                    subject=subject, indicator=leaf, value=value, note=note, source=ScoreSource.DEMO
                )
            )
    ScoreEntry.objects.bulk_create(entries)
    Scheme.mark_results_stale(scheme.pk)


def build_accounts(city: Unit, office: Unit, units: dict[str, Unit]) -> None:
    office_user = user_create(
        username="office",
        password=DEMO_PASSWORD,
        display_name="考核办 王主任",
        unit=office,
        email="office@example.invalid",
    )
    role_assign(user=office_user, role=Role.OFFICE_ADMIN, unit=city, include_subtree=True)
    team = user_create(
        username="team1", password=DEMO_PASSWORD, display_name="第一考核组 李组长", unit=office
    )
    role_assign(user=team, role=Role.TEAM_LEADER, unit=city, include_subtree=True)
    for username, unit_name, person in (
        ("qingfeng", "清丰县", "清丰县 联络员"),
        ("sifaju", "市司法局", "市司法局 联络员"),
    ):
        user = user_create(
            username=username, password=DEMO_PASSWORD, display_name=person, unit=units[unit_name]
        )
        role_assign(user=user, role=Role.UNIT_USER, unit=units[unit_name])
    user_create(
        username="admin", password=DEMO_PASSWORD, display_name="系统管理员", is_superuser=True
    )


@transaction.atomic
def build_demo(*, with_accounts: bool = True) -> Scheme:
    """Create the whole demo; refuses to run twice (check demo_exists first)."""
    from kaohe.exams.demo import exams_demo
    from kaohe.scoring.services import results_recompute
    from kaohe.surveys.demo import build_demo_surveys

    rng = random.Random(2020)
    city, office, units = build_units()
    for unit in units.values():
        _people(unit, rng)
    scheme = build_scheme(city, units)
    generate_scores(scheme, rng, set(seed.COUNTY_EXCELLENT + seed.DEPARTMENTS_EXCELLENT))
    if with_accounts:
        build_accounts(city, office, units)
    build_demo_surveys(scheme)
    results_recompute(scheme=scheme, reason="演示数据初始化")
    exams_demo(scheme)  # the exams app's part: question bank and the tests of X2
    return scheme


def accounts_text() -> str:
    lines = [f"演示账号（密码均为 {DEMO_PASSWORD}）/ demo accounts (password {DEMO_PASSWORD}):"]
    for account in DEMO_ACCOUNTS:
        if User.objects.filter(username=account.username).exists():
            lines.append(f"  {account.username:<10} {account.description}")
    return "\n".join(lines)
