"""Schemes and subjects reached by every page are served from the cache under a digest of their
own rows (common/cached.py `fetch_row`): never older than the row, however it was written."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext

from kaohe.common.cached import fetch_row, part_key, stamp_row
from kaohe.orgs.models import Unit
from kaohe.schemes import access
from kaohe.schemes.models import Scheme, Subject

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("cache_levels")]


def test_a_change_written_around_save_shows_at_once(demo, demo_users):
    office = demo_users["office"]
    assert access.access_scheme(office, demo.pk).status == demo.status
    Scheme.objects.filter(pk=demo.pk).update(status="publicity")  # as publicity_open writes it
    assert access.access_scheme(office, demo.pk).status == "publicity"
    subject = Subject.objects.filter(scheme=demo).first()
    assert access.access_subject(office, subject.pk).unit.name == subject.unit.name
    Unit.objects.filter(pk=subject.unit_id).update(name="改名后的单位")  # a joined row
    assert access.access_subject(office, subject.pk).unit.name == "改名后的单位"
    assert access.access_subject(office, subject.pk).scheme.status == "publicity"


def test_served_without_building_the_query_again(demo, demo_users):
    office = demo_users["office"]
    access.access_scheme(office, demo.pk)
    with CaptureQueriesContext(connection) as queries:
        scheme = access.access_scheme(office, demo.pk)
    assert scheme == demo and scheme.owner_unit == demo.owner_unit
    assert len(queries.captured_queries) == 1  # the row itself, read raw


def test_missing_and_impossible_ids_are_404(demo, demo_users):
    for pk in (0, -1, 10**6, 2**63, 2**70):
        with pytest.raises(Http404):
            access.access_subject(demo_users["office"], pk)
        with pytest.raises(Http404):
            access.access_scheme(demo_users["office"], pk)


def test_a_row_changed_while_it_was_built_is_not_kept(demo):
    calls = []

    def build(pk):
        if pk == demo.pk and not calls:
            calls.append(pk)  # the first real build: someone renames the scheme meanwhile
            Scheme.objects.filter(pk=pk).update(name="同时改名")
        return Scheme.objects.filter(pk=pk)

    before = stamp_row("test.scheme", build, demo.pk)  # compiled (stand-in id), then read
    calls.clear()
    first = fetch_row("test.scheme", build, demo.pk)
    assert first.name == "同时改名"  # what was built is returned…
    assert cache.get(part_key("row:test.scheme", (demo.pk, *before))) is None  # …not kept
    assert fetch_row("test.scheme", build, demo.pk).name == "同时改名"


def test_a_unit_user_still_gets_404_for_another_units_subject(client, demo, demo_users):
    other = Subject.objects.filter(scheme=demo).exclude(unit__name="清丰县").first()
    access.access_subject(demo_users["office"], other.pk)  # cached by the office's visit
    with pytest.raises(Http404):
        access.access_subject(demo_users["qingfeng"], other.pk)
