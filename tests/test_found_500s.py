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


# --- issue 11: the independent probe's 500s ----------------------------------------------


@pytest.mark.parametrize("raw", ["1e999", "9" * 400, "٣", "1_0", "NaN", "-0.5"])
def test_hostile_score_values_are_refused(demo, office, raw):
    from kaohe.schemes.models import ScoreEntry
    from kaohe.scoring.selectors import score_sheet

    subject = Subject.objects.get(scheme=demo, unit__name="清丰县")
    leaf, entry = next((leaf, e) for leaf, e in score_sheet(subject=subject) if e is not None)
    before = ScoreEntry.objects.get(pk=entry.pk).value
    response = office.post(
        f"/results/subject/{subject.pk}/scores/",
        {f"value_{leaf.pk}": raw, f"version_{leaf.pk}": str(entry.version)},
    )
    assert response.status_code < 500
    assert ScoreEntry.objects.get(pk=entry.pk).value == before


@pytest.mark.parametrize("value", [Decimal("1e999"), Decimal("9" * 400), Decimal("1e-999")])
def test_check_value_refuses_huge_numbers_without_invalid_operation(value):
    from kaohe.scoring import engine

    leaf = engine.Leaf(id=1, component="daily", max_score=Decimal(10), method="entered")
    with pytest.raises(engine.ScoreValueError):
        engine.check_value(leaf, value)


def test_grading_category_with_non_integer_id_is_404(demo, office):
    for raw in ("abc", "٣", "9" * 400):
        response = office.post(
            f"/schemes/{demo.pk}/grading/", {"action": "delete_category", "category": raw}
        )
        assert response.status_code == 404
