"""HTTP tests of the scheme pages: who may see and change what, and that forms work."""

from decimal import Decimal

import pytest

from kaohe.common.testing import assert_view_access
from kaohe.schemes.models import Indicator, Scheme, Subject

pytestmark = pytest.mark.django_db


@pytest.fixture
def scheme(demo):
    return demo


def _subject(scheme, unit_name):
    return Subject.objects.get(scheme=scheme, unit__name=unit_name)


def test_office_pages_render(office_client, scheme):
    subject = _subject(scheme, "清丰县")
    indicator = scheme.indicators.get(code="X3.1")
    urls = [
        "/",
        "/schemes/",
        "/schemes/new/",
        f"/schemes/{scheme.pk}/",
        f"/schemes/{scheme.pk}/edit/",
        f"/schemes/{scheme.pk}/copy/",
        f"/schemes/{scheme.pk}/grades/",
        f"/schemes/{scheme.pk}/indicators/",
        f"/schemes/{scheme.pk}/indicators/new/",
        f"/schemes/{scheme.pk}/indicators/{indicator.pk}/",
        f"/schemes/{scheme.pk}/subjects/",
        f"/results/subject/{subject.pk}/scores/",
        f"/schemes/{scheme.pk}/components/{scheme.components.first().pk}/",
    ]
    for url in urls:
        response = office_client.get(url)
        assert response.status_code == 200, url
    tree = office_client.get(f"/schemes/{scheme.pk}/indicators/").content.decode()
    assert "暗访调查" in tree and "扣分项" in tree and "2020-12-28" in tree


def test_management_pages_are_office_only(scheme, demo_users):
    subject = _subject(scheme, "清丰县")
    office, team, qingfeng = demo_users["office"], demo_users["team1"], demo_users["qingfeng"]
    for url in [
        f"/schemes/{scheme.pk}/edit/",
        f"/schemes/{scheme.pk}/copy/",
        f"/schemes/{scheme.pk}/grades/",
        f"/schemes/{scheme.pk}/indicators/new/",
    ]:
        assert_view_access(url, allowed=[office], denied=[qingfeng, team])
    # A team member scores only the subjects assigned to their team.
    assert_view_access(
        f"/results/subject/{subject.pk}/scores/", allowed=[office], denied=[qingfeng, team]
    )


def test_team_member_sees_and_scores_only_their_teams_subjects(scheme, demo_users):
    from django.test import Client

    from kaohe.onsite.models import Team, Visit

    team_user = demo_users["team1"]
    team = Team.objects.create(scheme=scheme, name="第一考核组", leader=team_user)
    assigned, other = _subject(scheme, "清丰县"), _subject(scheme, "台前县")
    Visit.objects.create(team=team, subject=assigned)
    assert_view_access(f"/results/subject/{assigned.pk}/scores/", allowed=[team_user], denied=[])
    assert_view_access(f"/results/subject/{other.pk}/scores/", allowed=[], denied=[team_user])
    assert_view_access(f"/results/subject/{other.pk}/", allowed=[], denied=[team_user])
    client = Client()
    client.force_login(team_user)
    listing = client.get(f"/schemes/{scheme.pk}/subjects/").content.decode()
    assert "清丰县" in listing and "台前县" not in listing
    results = client.get(f"/results/{scheme.pk}/").content.decode()
    assert "清丰县" in results and "台前县" not in results


def test_unit_user_sees_only_its_own_subject(scheme, demo_users):
    other = _subject(scheme, "台前县")
    own = _subject(scheme, "清丰县")
    qingfeng = demo_users["qingfeng"]
    assert_view_access(
        f"/results/subject/{other.pk}/", allowed=[demo_users["office"]], denied=[qingfeng]
    )
    from django.test import Client

    client = Client()
    client.force_login(qingfeng)
    page = client.get(f"/schemes/{scheme.pk}/subjects/").content.decode()
    assert "清丰县" in page and "台前县" not in page
    # Before publication a unit sees no results, not even its own.
    assert client.get(f"/results/subject/{own.pk}/").status_code == 404
    results = client.get(f"/results/{scheme.pk}/").content.decode()
    assert "尚未公布" in results and "台前县" not in results


def test_unit_user_sees_own_results_once_published(scheme, demo_users):
    from django.test import Client

    Scheme.objects.filter(pk=scheme.pk).update(status="publicity")
    client = Client()
    client.force_login(demo_users["qingfeng"])
    results = client.get(f"/results/{scheme.pk}/").content.decode()
    assert "清丰县" in results and "台前县" not in results
    own = _subject(scheme, "清丰县")
    assert client.get(f"/results/subject/{own.pk}/").status_code == 200


def test_other_city_office_cannot_see_scheme(scheme):
    from kaohe.common.testing import make_unit, make_user

    other_city = make_unit("安阳市")
    stranger = make_user("anyang", role="office_admin", unit=other_city, subtree=True)
    assert_view_access(f"/schemes/{scheme.pk}/", allowed=[], denied=[stranger])
    assert_view_access(f"/results/{scheme.pk}/", allowed=[], denied=[stranger])


def test_indicator_create_edit_delete(office_client, scheme):
    parent = scheme.indicators.get(code="X5")
    response = office_client.post(
        f"/schemes/{scheme.pk}/indicators/new/",
        {
            "parent": parent.pk,
            "code": "X5.2",
            "name": "热线投诉办理",
            "order": 2,
            "max_score": "3",
            "method": "penalty",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    created = Indicator.objects.get(scheme=scheme, code="X5.2")
    assert created.level == 2 and created.component.code == "onsite"
    response = office_client.post(
        f"/schemes/{scheme.pk}/indicators/{created.pk}/",
        {
            "code": "X5.2",
            "name": "热线投诉办理情况",
            "order": 2,
            "max_score": "2",
            "method": "penalty",
        },
    )
    assert response.status_code == 302
    created.refresh_from_db()
    assert created.name == "热线投诉办理情况" and created.max_score == Decimal("2")
    office_client.post(f"/schemes/{scheme.pk}/indicators/{created.pk}/delete/")
    assert not Indicator.objects.filter(pk=created.pk).exists()


def test_indicator_with_scores_cannot_be_deleted(office_client, scheme):
    leaf = scheme.indicators.get(code="D1")
    response = office_client.post(f"/schemes/{scheme.pk}/indicators/{leaf.pk}/delete/", follow=True)
    assert "不能删除" in response.content.decode()
    assert Indicator.objects.filter(pk=leaf.pk).exists()


def test_scheme_create_and_copy(office_client, scheme):
    response = office_client.post(
        f"/schemes/{scheme.pk}/copy/",
        {
            "code": "puyang-2021",
            "name": "2021年度依法行政考核",
            "year": 2021,
            "include_subjects": "on",
        },
    )
    assert response.status_code == 302
    copy = Scheme.objects.get(code="puyang-2021")
    assert copy.indicators.count() == scheme.indicators.count()
    assert copy.subjects.count() == 46 and copy.previous == scheme
    response = office_client.post(
        "/schemes/new/",
        {
            "code": "new-2022",
            "name": "2022年度",
            "year": 2022,
            "owner_unit": scheme.owner_unit_id,
            "bonus_cap": "2",
            "penalty_cap": "5",
            "tie_break": "onsite,daily",
        },
    )
    assert response.status_code == 302
    created = Scheme.objects.get(code="new-2022")
    assert created.components.count() == 3 and created.grade_levels.count() == 4


def test_enrol_and_withdraw(office_client, scheme):
    subject = _subject(scheme, "市林业局")
    unit = subject.unit
    office_client.post(f"/schemes/{scheme.pk}/subjects/{subject.pk}/withdraw/")
    assert not Subject.objects.filter(pk=subject.pk).exists()
    office_client.post(f"/schemes/{scheme.pk}/subjects/", {"units": [unit.pk]})
    enrolled = Subject.objects.get(scheme=scheme, unit=unit)
    assert enrolled.grading_category.name == "市直部门"


def test_grade_levels_edit(office_client, scheme):
    levels = list(scheme.grade_levels.order_by("order"))
    data = {
        "form-TOTAL_FORMS": str(len(levels) + 1),
        "form-INITIAL_FORMS": str(len(levels)),
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "1000",
        f"form-{len(levels)}-order": "0",  # the blank extra row, as the page renders it
    }
    for i, level in enumerate(levels):
        data.update(
            {
                f"form-{i}-id": level.pk,
                f"form-{i}-name": level.name,
                f"form-{i}-min_total": str(level.min_total),
                f"form-{i}-order": level.order,
                f"form-{i}-quota_percent": "30" if level.name == "优秀" else "",
            }
        )
    response = office_client.post(f"/schemes/{scheme.pk}/grades/", data)
    assert response.status_code == 302
    assert scheme.grade_levels.get(name="优秀").quota_percent == Decimal("30")
    page = office_client.get(f"/results/{scheme.pk}/").content.decode()
    assert "名额上限" in page  # grade reasons now mention the quota


def test_scheme_and_component_edit_are_saved_and_audited(office_client, scheme):
    from kaohe.audit.models import AuditEvent

    daily = scheme.components.get(code="daily")
    response = office_client.post(
        f"/schemes/{scheme.pk}/components/{daily.pk}/",
        {"name": "日常考核", "weight": "55", "order": 0},
    )
    assert response.status_code == 302
    daily.refresh_from_db()
    assert daily.weight == Decimal("55")
    event = AuditEvent.objects.filter(action="component.update").latest("id")
    assert '"60.00"' in event.before and '"55"' in event.after
    response = office_client.post(
        f"/schemes/{scheme.pk}/edit/",
        {
            "name": "2020年度依法行政考核（修订）",
            "year": 2020,
            "issuing_office": "法治办",
            "bonus_cap": "0",
            "penalty_cap": "5",
            "tie_break": "onsite,daily",
        },
    )
    assert response.status_code == 302
    scheme.refresh_from_db()
    assert scheme.name.endswith("（修订）")
    assert AuditEvent.objects.filter(action="scheme.update").exists()


def test_grading_page_adds_category_so_a_new_scheme_can_enrol(office_client, scheme):
    from kaohe.orgs.models import UnitCategory

    office_client.post(
        "/schemes/new/",
        {
            "code": "fresh",
            "name": "新方案",
            "year": 2022,
            "owner_unit": scheme.owner_unit_id,
            "bonus_cap": "0",
            "penalty_cap": "0",
            "tie_break": "onsite,daily",
        },
    )
    fresh = Scheme.objects.get(code="fresh")
    county = UnitCategory.objects.get(code="county")
    response = office_client.post(
        f"/schemes/{fresh.pk}/grading/",
        {
            "action": "add_category",
            "gc-name": "县(区)",
            "gc-unit_categories": [county.pk],
            "gc-order": "0",
        },
    )
    assert response.status_code == 302
    unit = _subject(scheme, "清丰县").unit
    office_client.post(f"/schemes/{fresh.pk}/subjects/", {"units": [unit.pk]})
    assert Subject.objects.get(scheme=fresh, unit=unit).grading_category.name == "县(区)"
    response = office_client.post(
        f"/schemes/{fresh.pk}/grading/",
        {
            "action": "add_component",
            "co-code": "bonus",
            "co-name": "加分",
            "co-weight": "0",
            "co-order": "9",
        },
    )
    assert fresh.components.filter(code="bonus").exists()


def test_odd_query_parameters_do_not_crash(office_client, scheme):
    for value in ["²", "abc", "-1", "99999999999999999999", "<script>"]:
        response = office_client.get(f"/results/{scheme.pk}/", {"category": value})
        assert response.status_code == 200, value


def test_locked_scheme_edits_are_messages_not_errors(office_client, scheme):
    Scheme.objects.filter(pk=scheme.pk).update(status="final")
    daily = scheme.components.get(code="daily")
    response = office_client.post(
        f"/schemes/{scheme.pk}/components/{daily.pk}/",
        {"name": "日常考核", "weight": "50", "order": 0},
    )
    assert response.status_code == 200 and "已锁定" in response.content.decode()
    response = office_client.post(
        f"/schemes/{scheme.pk}/edit/",
        {
            "name": scheme.name,
            "year": 2020,
            "issuing_office": "",
            "bonus_cap": "3",
            "penalty_cap": "5",
            "tie_break": "onsite,daily",
        },
    )
    assert response.status_code == 200 and "已锁定" in response.content.decode()
    Scheme.objects.filter(pk=scheme.pk).update(status="active")
    response = office_client.post(
        f"/schemes/{scheme.pk}/edit/",
        {
            "name": scheme.name,
            "year": 2020,
            "issuing_office": "",
            "bonus_cap": "0",
            "penalty_cap": "5",
            "tie_break": "nonsense",
        },
    )
    assert "不是本方案的考核类别代码" in response.content.decode()


def test_oversized_ids_in_multiple_choices_are_form_errors(office_client, scheme):
    """A fuzzer found a 500: applies_to=99999999999999999999 overflowed SQLite's integer."""
    for bad in ["99999999999999999999", "-1", "٣", "abc"]:
        response = office_client.post(
            f"/schemes/{scheme.pk}/indicators/new/",
            {"code": "Z9", "name": "测试", "order": 1, "method": "entered", "applies_to": bad},
        )
        assert response.status_code == 200, bad
        assert not scheme.indicators.filter(code="Z9").exists()
