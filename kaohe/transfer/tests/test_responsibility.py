"""Group responsibilities and unknown names, from seed 000's table to every member's tasks."""

import io
import re
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from kaohe.accounts.choices import Role
from kaohe.common.testing import make_user
from kaohe.demo import seed2020
from kaohe.orgs.models import Unit, UnitCategory
from kaohe.orgs.services import unit_group_save
from kaohe.schemes.services import grading_category_create, subject_enrol
from kaohe.tasks.models import Task
from kaohe.tasks.services import tasks_generate
from kaohe.transfer.models import UnitAlias
from kaohe.transfer.responsibility import responsibility_report
from kaohe.transfer.services import import_apply

from . import builders

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


SEED000 = next(Path("/work/shared/seeds").glob("000_*.txt"), None)


def test_builder_rows_are_seed000s_responsible_names():
    """The test table carries the real seed's 责任单位 names (so the tests below use them)."""
    if SEED000 is None:
        pytest.skip("seed 000 not on this machine")
    text = SEED000.read_text(encoding="utf-8")
    for row in builders.SEED000_ROWS:
        for name in re.split(r"\\n", row[4]):
            if name:
                assert name in text, name


def _enrol_all(scheme):
    cats = {c.code: c for c in UnitCategory.objects.all()}
    county = grading_category_create(
        scheme=scheme, name="县(区)", unit_categories=[cats["county"], cats["zone"]], order=1
    )
    dept = grading_category_create(
        scheme=scheme, name="市直部门", unit_categories=[cats["department"]], order=2
    )
    assert county and dept
    for unit in Unit.objects.filter(category__isnull=False):
        subject_enrol(scheme=scheme, unit=unit)


def test_seed000_table_gives_every_county_and_group_member_its_tasks(fresh_scheme, city):
    unit_group_save(
        owner_unit=city,
        name="领导小组成员单位",
        members=Unit.objects.filter(name__in=seed2020.LEADING_GROUP_MEMBERS),
    )
    _enrol_all(fresh_scheme)
    report = import_apply(
        kind="indicators",
        name="任务分解表.docx",
        data=builders.seed_docx(),
        scheme=fresh_scheme,
        options={"component": "onsite"},
    )
    assert report["ok"], report
    # 市卫生监督局 is not dropped: it is reported with the likely unit.
    unknown = {u["name"]: u["suggest"] for u in report["unmatched"]}
    assert set(unknown) == {"市卫生监督局"} | {
        n for n in seed2020.RESPONSIBLE_ALIASES if n in unknown
    }
    for short, full in seed2020.RESPONSIBLE_ALIASES.items():
        if short in unknown:
            assert unknown[short][0]["name"] == full, short
    tasks_generate(scheme=fresh_scheme)
    qingfeng = Task.objects.filter(scheme=fresh_scheme, unit__name="清丰县")
    assert qingfeng.filter(indicator__name="抽查1个下级政府").exists()
    by_indicator = Task.objects.filter(scheme=fresh_scheme, indicator__name="抽查1个下级政府")
    assert by_indicator.count() == 9  # 6 counties + 3 functional zones
    assert Task.objects.filter(indicator__name="抽查2个行政机关").count() == 37
    assert Task.objects.filter(indicator__name="座谈了解情况").count() == 12


def test_office_confirms_suggestions_in_one_step(fresh_scheme, city):
    import_apply(
        kind="indicators",
        name="t.docx",
        data=builders.seed_docx(),
        scheme=fresh_scheme,
        options={"component": "onsite"},
    )
    rows = {r.name: r for r in responsibility_report(fresh_scheme)}
    assert rows["市住建局"].kind == "unknown"
    assert rows["市住建局"].suggest[0][1] == "市住房和城乡建设局"
    assert rows["各县市区人民政府"].kind == "category"
    office = make_user("o", unit=city, role=Role.OFFICE_ADMIN, subtree=True)
    url = reverse("transfer:responsible", args=[fresh_scheme.pk])
    page = client_for(office).get(url).content.decode()
    assert "建议：市住房和城乡建设局" in page and "市卫生监督局" in page
    unknown = [r for r in responsibility_report(fresh_scheme) if r.kind == "unknown"]
    data = {}
    for i, r in enumerate(unknown):  # accept every suggestion as shown (the preselected option)
        data[f"name-{i}"] = r.name
        data[f"unit-{i}"] = r.suggest[0][0] if r.suggest else ""
    response = client_for(office).post(url, data, follow=True)
    assert "已确认" in response.content.decode()
    alias = UnitAlias.objects.get(owner_unit=city, name="市住建局")
    assert alias.unit.name == "市住房和城乡建设局"
    staff = fresh_scheme.indicators.get(name="机关人员依法行政能力测试")
    assert "市住房和城乡建设局" in {u.name for u in staff.responsible_units.all()}
    left = {r.name for r in responsibility_report(fresh_scheme) if r.kind == "unknown"}
    assert "市住建局" not in left


def test_responsible_page_is_the_offices_only(fresh_scheme, city):
    url = reverse("transfer:responsible", args=[fresh_scheme.pk])
    other = Unit.objects.get(name="清丰县")
    unit_user = make_user("u", unit=other, role=Role.UNIT_USER)
    assert client_for(unit_user).get(url).status_code == 404
    assert client_for(unit_user).get(reverse("transfer:groups")).status_code == 404


def test_demo_gives_qingfeng_its_tasks(db):
    from django.core.management import call_command

    call_command("demo", stdout=io.StringIO())
    assert Task.objects.filter(unit__name="清丰县").exists()
    assert Task.objects.filter(indicator__code="X1.2").count() == 12


def test_office_keeps_a_unit_group(city):
    office = make_user("o2", unit=city, role=Role.OFFICE_ADMIN, subtree=True)
    members = list(Unit.objects.filter(name__in=["市司法局", "市财政局"]))
    url = reverse("transfer:groups")
    data = {
        "owner_unit": city.pk,
        "name": "领导小组成员单位",
        "note": "",
        "members": [u.pk for u in members],
    }
    response = client_for(office).post(url, data, follow=True)
    assert "已保存" in response.content.decode()
    from kaohe.orgs.models import UnitGroup

    group = UnitGroup.objects.get(owner_unit=city)
    assert {u.name for u in group.members.all()} == {"市司法局", "市财政局"}
    page = client_for(office).get(url, {"edit": group.pk}).content.decode()
    assert "修改“领导小组成员单位”" in page
