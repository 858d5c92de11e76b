"""500s the fuzzers found in other modules, pinned so the fix is noticed.

They were pinned as strict xfails while open; both are fixed now and the tests guard them.
"""

from decimal import Decimal

import pytest
from django.test import Client

from kaohe.schemes.models import Scheme, Subject


@pytest.fixture
def office(demo, demo_users):
    client = Client(raise_request_exception=False)
    client.force_login(demo_users["office"])
    return client


def test_withdraw_from_frozen_scheme_is_a_message_not_a_500(demo, office):
    Scheme.objects.filter(pk=demo.pk).update(status="frozen")
    subject = Subject.objects.get(scheme=demo, unit__name="清丰县")
    response = office.post(f"/schemes/{demo.pk}/subjects/{subject.pk}/withdraw/")
    assert response.status_code < 500
    assert Subject.objects.filter(pk=subject.pk).exists()


def test_case_sheet_full_score_out_of_range_is_refused(demo, office):
    from kaohe.onsite import marks

    leaf = (
        demo.indicators.filter(children__isnull=True, method__in=marks.FRACTION_METHODS)
        .order_by("pk")
        .first()
    )
    url = f"/onsite/indicators/{leaf.pk}/case-sheet/"
    response = office.post(url, {"full_score": "99999999999999999999", "criteria": "事实清楚"})
    assert response.status_code < 500  # PostgreSQL: numeric field overflow on save
    assert office.get(url).status_code < 500  # SQLite: saved, then every load fails
    from kaohe.onsite.models import CaseSheet

    sheet = CaseSheet.objects.filter(indicator=leaf).first()
    assert sheet is None or sheet.full_score < Decimal("1000000")
