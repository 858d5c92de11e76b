"""The ranking table is cached per viewer's access: never one unit's table for another."""

from decimal import Decimal

import pytest
from django.core.cache import cache
from django.urls import reverse

from kaohe.publishing.factories import first_leaf, open_publicity
from kaohe.schemes.models import Subject
from kaohe.scoring.models import SubjectResult

# Each test runs twice: with the shared cache alone and with a first level per process.
pytestmark = pytest.mark.usefixtures("cache_levels")


def _rows(client, scheme):
    page = client.get(reverse("scoring:results", args=[scheme.pk])).content.decode()
    return page.count('<tr data-unit="'), page


@pytest.mark.django_db
def test_cached_ranking_never_crosses_units(client, demo, demo_users):
    cache.clear()
    open_publicity(demo, demo_users["office"])
    client.force_login(demo_users["qingfeng"])
    count, page = _rows(client, demo)
    assert count == 1 and 'data-unit="清丰县"' in page
    client.force_login(demo_users["sifaju"])
    count, page = _rows(client, demo)  # same scheme, same results stamp: a different key
    assert count == 1 and "清丰县" not in page and 'data-unit="市司法局"' in page
    client.force_login(demo_users["office"])
    count, page = _rows(client, demo)
    assert count == Subject.objects.filter(scheme=demo).count()
    client.force_login(demo_users["qingfeng"])
    count, page = _rows(client, demo)
    assert count == 1 and "市司法局" not in page


@pytest.mark.django_db
def test_cached_ranking_follows_a_recompute(client, demo, demo_users):
    from kaohe.scoring.services import score_set

    cache.clear()
    client.force_login(demo_users["office"])
    _count, before = _rows(client, demo)
    subject = Subject.objects.get(scheme=demo, unit__name="清丰县")
    leaf = first_leaf(demo)
    old = SubjectResult.objects.get(subject=subject).total
    score_set(subject=subject, indicator=leaf, value=Decimal(0))
    _count, after = _rows(client, demo)  # the office's visit recomputes (stale results)
    new = SubjectResult.objects.get(subject=subject).total
    assert new != old and str(new) in after and after != before


@pytest.mark.django_db
def test_unit_user_sees_nothing_before_publication_even_if_cached(client, demo, demo_users):
    cache.clear()
    client.force_login(demo_users["office"])
    _rows(client, demo)
    client.force_login(demo_users["qingfeng"])
    count, page = _rows(client, demo)
    assert count == 0 and "尚未公布" in page


def _trace(client, subject) -> str:
    return client.get(reverse("scoring:trace", args=[subject.pk])).content.decode()


@pytest.mark.django_db
def test_cached_trace_differs_per_unit_and_per_role(client, demo, demo_users):
    from kaohe.accounts.choices import Role
    from kaohe.accounts.services import role_assign

    cache.clear()
    open_publicity(demo, demo_users["office"])
    qingfeng = Subject.objects.get(scheme=demo, unit__name="清丰县")
    sifaju = Subject.objects.get(scheme=demo, unit__name="市司法局")
    client.force_login(demo_users["qingfeng"])
    own = _trace(client, qingfeng)
    assert "得分明细" in own and "清丰县" in own and "录入/更正得分" not in own
    assert client.get(reverse("scoring:trace", args=[sifaju.pk])).status_code == 404
    client.force_login(demo_users["sifaju"])
    other = _trace(client, sifaju)
    assert "市司法局" in other and 'id="trace-total"' in other and other != own
    assert client.get(reverse("scoring:trace", args=[qingfeng.pk])).status_code == 404
    # A role change reaches the cached trace: the office's buttons, on the same subject.
    role_assign(user=demo_users["sifaju"], role=Role.OFFICE_ADMIN, unit=demo.owner_unit)
    assert "录入/更正得分" in _trace(client, sifaju)
    assert "清丰县" in _trace(client, qingfeng)


@pytest.mark.django_db
def test_cached_ranking_follows_a_role_change(client, demo, demo_users):
    from kaohe.accounts.choices import Role
    from kaohe.accounts.services import role_assign

    cache.clear()
    open_publicity(demo, demo_users["office"])
    client.force_login(demo_users["qingfeng"])
    assert _rows(client, demo)[0] == 1
    role_assign(user=demo_users["qingfeng"], role=Role.OFFICE_ADMIN, unit=demo.owner_unit)
    assert _rows(client, demo)[0] == Subject.objects.filter(scheme=demo).count()


@pytest.mark.django_db
def test_cached_trace_follows_a_score_change(client, demo, demo_users):
    from kaohe.scoring.services import score_set

    cache.clear()
    client.force_login(demo_users["office"])
    subject = Subject.objects.get(scheme=demo, unit__name="清丰县")
    before = _trace(client, subject)
    score_set(subject=subject, indicator=first_leaf(demo), value=Decimal(0))
    after = _trace(client, subject)
    total = SubjectResult.objects.get(subject=subject).total
    assert after != before and f'id="trace-total">{total}<' in after


@pytest.mark.django_db
def test_recompute_is_queued_and_shown_to_its_requester_only(client, demo, demo_users):
    from kaohe.accounts.choices import Role
    from kaohe.common.testing import make_user

    client.force_login(demo_users["office"])
    response = client.post(reverse("scoring:recompute", args=[demo.pk]))
    assert response.status_code == 302 and "?run=" in response["Location"]
    page = client.get(response["Location"]).content.decode()
    count = Subject.objects.filter(scheme=demo).count()
    assert 'data-status="SUCCESSFUL"' in page and f"已重新计算 {count} 个考核对象" in page
    run = response["Location"].split("run=")[1]
    status = client.get(reverse("background:run", args=[run]))
    assert status.status_code == 200 and "已重新计算" in status.content.decode()
    other = make_user("office-b", role=Role.OFFICE_ADMIN, unit=demo.owner_unit, subtree=True)
    client.force_login(other)
    assert "已重新计算" not in client.get(response["Location"]).content.decode()
    assert client.get(reverse("background:run", args=[run])).status_code == 404
    client.force_login(demo_users["qingfeng"])
    assert client.post(reverse("scoring:recompute", args=[demo.pk])).status_code == 404
