"""The subject table is cached per viewer's access and follows enrolment changes."""

import pytest
from django.urls import reverse

from kaohe.publishing.factories import open_publicity
from kaohe.schemes.models import Subject
from kaohe.schemes.services import subject_withdraw

# Each test runs twice: with the shared cache alone and with a first level per process.
pytestmark = pytest.mark.usefixtures("cache_levels")


def _page(client, scheme) -> str:
    return client.get(reverse("schemes:subjects", args=[scheme.pk])).content.decode()


@pytest.mark.django_db
def test_each_unit_gets_its_own_cached_table(client, demo, demo_users):
    open_publicity(demo, demo_users["office"])
    client.force_login(demo_users["qingfeng"])
    own = _page(client, demo)
    assert "清丰县" in own and "市司法局" not in own
    client.force_login(demo_users["sifaju"])
    other = _page(client, demo)
    assert "市司法局" in other and "清丰县" not in other
    client.force_login(demo_users["office"])
    every = _page(client, demo)
    assert "清丰县" in every and "市司法局" in every and "<!--kaohe:csrf-->" not in every


@pytest.mark.django_db
def test_cached_table_follows_a_withdrawal(client, demo, demo_users):
    client.force_login(demo_users["office"])
    count = Subject.objects.filter(scheme=demo).count()
    assert f"（{count}）" in _page(client, demo)
    subject = Subject.objects.get(scheme=demo, unit__name="清丰县")
    subject_withdraw(subject=subject, actor=demo_users["office"])
    page = _page(client, demo)
    assert f"（{count - 1}）" in page and "<td>清丰县</td>" not in page


@pytest.mark.django_db
def test_enrol_form_lists_units_not_yet_enrolled(client, demo, demo_users):
    from kaohe.orgs.factories import make_unit

    client.force_login(demo_users["office"])
    url = reverse("schemes:subjects", args=[demo.pk])
    category = Subject.objects.filter(scheme=demo).select_related("unit").first().unit.category
    assert 'name="units"' not in client.get(url).content.decode()  # the demo enrolled them all
    unit = make_unit("新设的局", parent=demo.owner_unit, category=category)
    page = client.get(url).content.decode()
    assert 'name="units"' in page and "新设的局" in page
    client.post(url, {"units": [unit.pk]})
    assert 'name="units"' not in client.get(url).content.decode()
    client.force_login(demo_users["qingfeng"])
    make_unit("又一个局", parent=demo.owner_unit, category=category)
    assert 'name="units"' not in client.get(url).content.decode()  # units never see the form
