"""A small on-site world (faster than the full demo): one city, two subjects, one team."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pytest

from kaohe.accounts.choices import Role
from kaohe.common.testing import make_category, make_unit, make_user
from kaohe.orgs.choices import PersonLevel
from kaohe.orgs.models import Person
from kaohe.schemes.choices import SchemeStatus
from kaohe.schemes.models import Indicator, Scheme, Subject
from kaohe.schemes.services import (
    grading_category_create,
    indicator_create,
    scheme_create,
    subject_enrol,
)

STAFF_PLAN = [
    (PersonLevel.HEAD, 1),
    (PersonLevel.LEADERSHIP, 3),
    (PersonLevel.MIDDLE, 10),
    (PersonLevel.GENERAL, 8),
    (PersonLevel.ENFORCEMENT, 6),
]


@dataclass
class World:
    scheme: Scheme
    county: Subject
    dept: Subject
    leaves: dict[str, Indicator]
    users: dict
    team: object


def add_staff(unit, plan=STAFF_PLAN):
    n = 0
    for level, count in plan:
        for _ in range(count):
            n += 1
            Person.objects.create(unit=unit, name=f"{unit.name}{n:02d}", level=level)


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    """Test users need no slow password hashing."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def world(db):
    from kaohe.onsite.services.teams import team_create, visit_assign

    county_cat = make_category("county", "县区")
    dept_cat = make_category("department", "市直部门")
    city = make_unit("濮阳市")
    office_unit = make_unit("市法治办", parent=city)
    qingfeng = make_unit("清丰县", parent=city, category=county_cat)
    sifaju = make_unit("市司法局", parent=city, category=dept_cat)
    qingfeng_bureau = make_unit("清丰县司法局", parent=qingfeng)
    scheme = scheme_create(code="t2020", name="2020年度依法行政考核", year=2020, owner_unit=city)
    scheme.onsite_start, scheme.onsite_end = date(2021, 1, 25), date(2021, 2, 5)
    scheme.status = SchemeStatus.ACTIVE
    scheme.penalty_cap = Decimal("5")
    scheme.save()
    grading_category_create(scheme=scheme, name="县(区)", unit_categories=[county_cat])
    grading_category_create(scheme=scheme, name="市直部门", unit_categories=[dept_cat])
    onsite = scheme.components.get(code="onsite")
    parent = indicator_create(scheme=scheme, component=onsite, code="X3", name="抽查检查")
    leaves = {}
    for code, name, top, method, requirement, content in [
        ("X3.1", "复议案卷", 8, "deduction", "认定事实清楚、适用法律正确、程序合法", ""),
        (
            "X3.2",
            "法制审核目录清单",
            8,
            "entered",
            "1.《重大执法决定法制审核目录清单》细化到重大行政强制、行政检查等具体执法事项；"
            "2.适用一般程序作出的所有行政处罚决定都要依法进行法制审核。清单中如果列有行政处罚事项，"
            "应为该部门所有行政处罚事项,不应表述为重大行政处罚事项",
            "现场选取5个部门查看其《重大执法决定法制审核目录清单》制定情况",
        ),
        ("X3.3", "重大行政处罚备案", 8, "deduction", "15日内备案，60日内审查", ""),
        ("X3.4", "听取汇报", 10, "entered", "1.领导重视；2.汇报全面", ""),
        ("X5", "暗访调查（扣分项）", 5, "penalty", "", ""),
    ]:
        leaves[code] = indicator_create(
            scheme=scheme,
            parent=parent,
            code=code,
            name=name,
            max_score=Decimal(top),
            method=method,
            requirement=requirement,
            content=content,
        )
    county = subject_enrol(scheme=scheme, unit=qingfeng)
    dept = subject_enrol(scheme=scheme, unit=sifaju)
    add_staff(qingfeng)
    users = {
        "office": make_user("office", role=Role.OFFICE_ADMIN, unit=city, subtree=True),
        "leader": make_user("leader", role=Role.TEAM_LEADER, unit=city, subtree=True),
        "member": make_user("member", role=Role.TEAM_MEMBER, unit=city, subtree=True),
        "other_member": make_user("other", role=Role.TEAM_MEMBER, unit=city, subtree=True),
        "qingfeng": make_user("qingfeng", role=Role.UNIT_USER, unit=qingfeng),
        "sifaju": make_user("sifaju", role=Role.UNIT_USER, unit=sifaju),
        "county_staff": make_user("county_staff", role=Role.TEAM_MEMBER, unit=city, subtree=True),
    }
    for name in ("leader", "member", "other_member"):
        users[name].unit = office_unit
        users[name].save()
    users["county_staff"].unit = qingfeng_bureau
    users["county_staff"].save()
    team = team_create(
        scheme=scheme, name="第一考核组", leader=users["leader"], members=[users["member"]]
    )
    team_create(scheme=scheme, name="第二考核组", leader=users["other_member"])
    visit_assign(team=team, subjects=[county])
    return World(scheme, county, dept, leaves, users, team)
