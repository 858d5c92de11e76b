"""Attacks from the independent probe (issue 11) on the on-site views, each refused cleanly.

Non-integer ids, NUL and oversized text straight from request.POST, and draws asking for
unbounded work.
"""

import time

import pytest
from django.test import Client
from django.urls import reverse

from kaohe.onsite.models import Draw, FilingCheck, Team, Visit
from kaohe.onsite.services import draws


def client_for(user) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    "leader,members", [("abc", []), ("1e3", ["x"]), ("", ["٣", "1_0", "9" * 400])]
)
def test_team_create_with_non_integer_ids_is_refused(world, leader, members):
    office = client_for(world.users["office"])
    url = reverse("onsite:team_create", args=[world.scheme.pk])
    response = office.post(url, {"name": "第三考核组", "leader": leader, "members": members})
    assert response.status_code == 302
    assert not Team.objects.filter(name="第三考核组").exists()


def test_team_update_and_assign_with_non_integer_ids(world):
    office = client_for(world.users["office"])
    team = world.team
    response = office.post(
        reverse("onsite:team_update", args=[team.pk]), {"leader": "abc", "members": ["x", "2.5"]}
    )
    assert response.status_code == 302
    response = office.post(
        reverse("onsite:team_assign", args=[team.pk]), {"subjects": ["abc", "9" * 400]}
    )
    assert response.status_code == 302
    assert Visit.objects.filter(team=team).count() == 1


@pytest.mark.parametrize("name", ["第三\x00考核组", "组" * 1_048_576, "a\x1bb"])
def test_team_name_with_nul_or_oversized_is_refused(world, name):
    office = client_for(world.users["office"])
    url = reverse("onsite:team_create", args=[world.scheme.pk])
    response = office.post(url, {"name": name, "leader": world.users["leader"].pk}, follow=True)
    assert response.status_code == 200
    assert "控制字符" in response.text or "最多 64 个字符" in response.text
    assert Team.objects.count() == 2


def test_draw_title_and_filing_label_with_nul_are_refused(world):
    member = client_for(world.users["member"])
    response = member.post(
        reverse("onsite:draw_new", args=[world.county.pk]),
        {"preset": "staff", "source": "people", "count_min": "12", "title": "抽\x00取"},
    )
    assert response.status_code == 200 and "控制字符" in response.text
    assert not Draw.objects.exists()
    url = reverse("onsite:filing_checks", args=[world.county.pk, world.leaves["X3.3"].pk])
    response = member.post(url, {"record_label": "备案\x00一号"}, follow=True)
    assert response.status_code == 200 and "控制字符" in response.text
    assert not FilingCheck.objects.exists()


@pytest.mark.parametrize(
    "count_max,message", [("1000000", "之间"), ("9" * 400, "位数过多"), ("٣", "必须是整数")]
)
def test_draw_counts_are_bounded_before_any_work(world, count_max, message):
    member = client_for(world.users["member"])
    started = time.perf_counter()
    response = member.post(
        reverse("onsite:draw_new", args=[world.county.pk]),
        {"preset": "staff", "source": "people", "count_min": "1", "count_max": count_max},
    )
    assert time.perf_counter() - started < 2
    assert response.status_code == 200 and message in response.text
    assert not Draw.objects.exists()


def test_draw_count_above_the_population_stops_at_the_population(world):
    """Within the limit but above the 28 staff: the count range ends at the population."""
    population = [{"key": f"p{i:02d}"} for i in range(28)]
    draw = draws.draw_prepare(
        subject=world.county,
        title="x",
        members=population,
        rule={"count_min": 20, "count_max": 20000},
    )
    draws.draw_announce_seed(draw=draw, seed="1")
    draws.draw_execute(draw=draw)
    draw.refresh_from_db()
    assert 20 <= len(draws.draw_selected(draw)) <= 28
    with pytest.raises(Exception, match="不足 29"):
        draws.draw_prepare(
            subject=world.county, title="y", members=population, rule={"count_min": 29}
        )
