"""Page parts cached for speed (issue 16) show every change at once, whichever cache serves
them: the score-entry table, the ranking after a weight change, the office dashboard; the
compiled stamp queries bind each request's id; the first level in each process serves hot
values without a round trip and keeps only small ones."""

from decimal import Decimal

import pytest
from django.core.cache import cache, caches
from django.urls import reverse

from kaohe.common.cached import LOCAL_MAX_CHARS, stamp_row, stamped
from kaohe.publishing.factories import first_leaf, open_publicity
from kaohe.schemes.models import Subject
from kaohe.schemes.services import component_update
from kaohe.scoring.models import SubjectResult
from kaohe.scoring.selectors import _results_stamp_query, results_stamp
from kaohe.scoring.services import score_set

pytestmark = pytest.mark.usefixtures("cache_levels")


def _page(client, name, *args) -> str:
    response = client.get(reverse(name, args=args))
    assert response.status_code == 200
    return response.content.decode()


def _input(page: str, leaf) -> str:
    """The value input of one leaf's row."""
    start = page.rindex("<input", 0, page.index(f'name="value_{leaf.pk}"'))
    return page[start : page.index(">", start)]


@pytest.mark.django_db
def test_entry_table_shows_a_score_saved_elsewhere_at_once(client, demo, demo_users):
    subject = Subject.objects.get(scheme=demo, unit__name="清丰县")
    leaf = first_leaf(demo)
    client.force_login(demo_users["office"])
    before = _page(client, "scoring:scores", subject.pk)
    score_set(subject=subject, indicator=leaf, value=Decimal("1.5"))  # an import, the API…
    after = _page(client, "scoring:scores", subject.pk)
    assert 'value="1.50"' in _input(after, leaf) and _input(after, leaf) != _input(before, leaf)
    version = subject.scores.get(indicator=leaf).version
    assert f'name="version_{leaf.pk}" value="{version}"' in after  # the version it will send


@pytest.mark.django_db
def test_entry_table_differs_per_role_and_language(client, demo, demo_users):
    from kaohe.onsite.factories import make_team

    subject = Subject.objects.get(scheme=demo, unit__name="清丰县")
    make_team(demo, leader=demo_users["team1"], subjects=[subject])
    daily, onsite = first_leaf(demo, "D"), first_leaf(demo, "X")
    client.force_login(demo_users["office"])
    office = _page(client, "scoring:scores", subject.pk)
    assert "disabled" not in _input(office, daily) and "disabled" not in _input(office, onsite)
    client.force_login(demo_users["team1"])  # the same subject, scores and language
    team = _page(client, "scoring:scores", subject.pk)
    assert "disabled" in _input(team, daily) and "disabled" not in _input(team, onsite)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    english = _page(client, "scoring:scores", subject.pk)
    assert "Clear" in english and "清除" not in english.split("<main", 1)[1].split("<footer")[0]


@pytest.mark.django_db
def test_entry_form_with_errors_keeps_what_was_typed(client, demo, demo_users):
    subject = Subject.objects.get(scheme=demo, unit__name="清丰县")
    leaf = first_leaf(demo)
    client.force_login(demo_users["office"])
    _page(client, "scoring:scores", subject.pk)  # the GET table is cached now
    version = subject.scores.get(indicator=leaf).version
    response = client.post(
        reverse("scoring:scores", args=[subject.pk]),
        {f"value_{leaf.pk}": "abc", f"version_{leaf.pk}": version},
    )
    page = response.content.decode()
    assert response.status_code == 200 and 'value="abc"' in _input(page, leaf)
    assert "is-invalid" in _input(page, leaf)


@pytest.mark.django_db
def test_ranking_shows_a_weight_change_at_once(client, demo, demo_users):
    client.force_login(demo_users["office"])
    component = demo.components.get(code="daily")
    assert "×60%" in _page(client, "scoring:results", demo.pk)
    component_update(component=component, data={"name": "日常工作"})  # no result moves
    assert "日常工作<br>" in _page(client, "scoring:results", demo.pk)
    component_update(component=component, data={"weight": Decimal(55)})
    page = _page(client, "scoring:results", demo.pk)
    assert "×55%" in page and "×60%" not in page
    assert "不是 100%" in page  # the weights no longer add up: said at once too


@pytest.mark.django_db
def test_dashboard_shows_a_result_change_at_once(client, demo, demo_users):
    client.force_login(demo_users["office"])
    subject = Subject.objects.get(scheme=demo, unit__name="清丰县")
    before = _page(client, "publishing:dashboard", demo.pk)
    score_set(subject=subject, indicator=first_leaf(demo), value=Decimal(0))
    after = _page(client, "publishing:dashboard", demo.pk)  # recomputes: the office's visit
    total = SubjectResult.objects.get(subject=subject).total
    assert after != before and str(total) in after


@pytest.mark.django_db
def test_compiled_stamp_binds_each_id(demo, demo_users):
    from kaohe.schemes.factories import make_scheme

    other = make_scheme("other")
    first = stamp_row("test.results", _results_stamp_query, demo.pk)
    second = stamp_row("test.results", _results_stamp_query, other.pk)  # compiled already
    assert first[1] == SubjectResult.objects.filter(scheme=demo).count() > 0
    assert not second[1] and first != second  # no results: no count
    open_publicity(demo, demo_users["office"])
    assert results_stamp(demo) == results_stamp(demo)  # one state, one stamp
    assert stamp_row("test.results", _results_stamp_query, 0) == ()  # no such scheme


@pytest.mark.django_db
def test_first_level_serves_hot_values_and_keeps_only_small_ones(cache_levels, monkeypatch):
    calls = []
    assert stamped("k:small", lambda: calls.append(1) or "v", 60) == "v"
    big = "x" * (LOCAL_MAX_CHARS + 1)
    assert stamped("k:big", lambda: big, 60) == big
    shared_reads = []
    real_get = cache.get
    monkeypatch.setattr(cache, "get", lambda *a, **k: shared_reads.append(a[0]) or real_get(*a))
    assert stamped("k:small", lambda: calls.append(1) or "v", 60) == "v" and calls == [1]
    stamped("k:big", lambda: big, 60)
    local = caches["local"]
    if cache_levels.startswith("with"):
        assert shared_reads == ["k:big"]  # the small value came from this process
        assert local.get("k:small") == "v" and local.get("k:big") is None
    else:
        assert shared_reads == ["k:small", "k:big"] and local.get("k:small") is None


@pytest.mark.django_db
def test_a_units_view_of_a_scheme_follows_enrolment_at_once(client, demo, demo_users):
    """A unit's visible subjects are cached per viewer under the scheme's enrolment stamp:
    enrolling or withdrawing its unit shows on the very next request."""
    from kaohe.accounts.choices import Role
    from kaohe.accounts.factories import make_user
    from kaohe.orgs.factories import make_unit
    from kaohe.schemes.services import subject_enrol, subject_withdraw

    existing = Subject.objects.filter(scheme=demo).select_related("unit").first()
    unit = make_unit("新设局", parent=demo.owner_unit, category=existing.unit.category)
    user = make_user("xinshe", role=Role.UNIT_USER, unit=unit)
    client.force_login(user)
    ranking = reverse("scoring:results", args=[demo.pk])
    assert client.get(ranking).status_code == 404  # not enrolled: no such scheme for it
    subject = subject_enrol(scheme=demo, unit=unit)
    assert client.get(ranking).status_code == 200
    subjects = _page(client, "schemes:subjects", demo.pk)
    assert "新设局" in subjects and existing.unit.name not in subjects
    subject_withdraw(subject=subject)
    assert client.get(ranking).status_code == 404


@pytest.mark.django_db
def test_a_teams_subjects_follow_membership_and_visits_at_once(client, demo, demo_users):
    """A team's visible subjects are cached per viewer under the scheme's subjects, teams and
    visits: a member added or removed (by the service or straight on the relation) and a visit
    moved to another team show on the very next request."""
    from kaohe.accounts.choices import Role
    from kaohe.accounts.factories import make_user
    from kaohe.onsite.factories import make_team
    from kaohe.onsite.services.teams import team_update, visit_assign

    subject = Subject.objects.get(scheme=demo, unit__name="清丰县")
    member = make_user("zuyuan", role=Role.TEAM_MEMBER, unit=demo.owner_unit, subtree=True)
    team = make_team(demo, leader=demo_users["team1"], subjects=[subject])
    other = make_team(demo, leader=demo_users["office"], name="第二考核组")
    client.force_login(member)
    entry = reverse("scoring:scores", args=[subject.pk])
    assert client.get(entry).status_code == 404
    team_update(team=team, leader=team.leader, members=[member])
    assert client.get(entry).status_code == 200
    assert "清丰县" in _page(client, "scoring:results", demo.pk)
    team.members.remove(member)  # around the service
    assert client.get(entry).status_code == 404
    member.onsite_teams.add(team)  # from the user's side
    assert client.get(entry).status_code == 200
    visit_assign(team=other, subjects=[subject])  # the visit moves; no team changes
    assert client.get(entry).status_code == 404
