"""The ranking table is cached per viewer's access: never one unit's table for another."""

from decimal import Decimal

import pytest
from django.core.cache import cache
from django.urls import reverse

from kaohe.publishing.factories import first_leaf, open_publicity
from kaohe.schemes.models import Subject
from kaohe.scoring.models import SubjectResult


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
