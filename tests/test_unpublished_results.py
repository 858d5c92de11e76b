"""Before the public-notice period a unit sees nothing of its results (issue 10's leak).

"Published" is defined once (Scheme.results_published). Every page and export that can show a
unit its results, deductions, checklist answers or evidence is opened as the unit while the
scheme is active and frozen (nothing may show) and again in publicity (it must show, so the
test cannot pass by showing nothing ever).
"""

from decimal import Decimal
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from kaohe.onsite.models import Checklist, Evidence
from kaohe.onsite.services import checklists
from kaohe.onsite.services.deductions import deduction_record
from kaohe.onsite.tests.test_services import PNG
from kaohe.schemes.choices import SchemeStatus, ScoringMethod
from kaohe.schemes.models import Scheme, Subject
from kaohe.scoring.services import results_recompute

REASON = "窗口人员态度生硬CANARY"
ITEM_NOTE = "未见台账CANARY"


def _text(response) -> str:
    if response.status_code != 200:
        return ""
    if response.get("Content-Type", "").startswith("application/vnd.openxmlformats"):
        body = b"".join(response.streaming_content) if response.streaming else response.content
        book = load_workbook(BytesIO(body))
        return "\n".join(
            str(cell) for sheet in book for row in sheet.iter_rows(values_only=True) for cell in row
        )
    if response.streaming:
        return b"".join(response.streaming_content).decode("utf-8", "replace")
    return response.content.decode("utf-8", "replace")


@pytest.fixture
def seen(demo, demo_users, settings, tmp_path):
    """清丰县 with a deduction (with a photo), a failed checklist item and computed results."""
    settings.MEDIA_ROOT = tmp_path
    scheme = Scheme.objects.get(code="puyang-2020")
    subject = Subject.objects.get(scheme=scheme, unit__name="清丰县")
    office = demo_users["office"]
    penalty = scheme.indicators.filter(method=ScoringMethod.PENALTY).first()
    deduction_record(
        subject=subject,
        indicator=penalty,
        points=Decimal("1.5"),
        reason=REASON,
        files=[SimpleUploadedFile("p.png", PNG)],
        actor=office,
    )
    leaf = scheme.indicators.filter(
        children__isnull=True, method=ScoringMethod.ENTERED, component__code="onsite"
    ).first()
    checklist = checklists.checklist_save(
        indicator=leaf, items=[("台账齐全", Decimal("1"))], per_target=False, actor=office
    )
    item = checklist.items.get()
    checklists.checklist_fill_save(
        checklist=checklist,
        subject=subject,
        answers={item.pk: ("fail", ITEM_NOTE)},
        actor=office,
        confirm_replace=True,  # the demo already holds a score for this leaf
    )
    results_recompute(scheme=scheme, actor=office)
    client = Client()
    client.force_login(demo_users["qingfeng"])
    return scheme, subject, client


def _urls(scheme, subject):
    evidence = Evidence.objects.get(subject=subject)
    checklist = Checklist.objects.get(indicator__scheme=scheme)
    return {
        "results": reverse("scoring:results", args=[scheme.pk]),
        "trace": reverse("scoring:trace", args=[subject.pk]),
        "my results": reverse("publishing:my", args=[scheme.pk]),
        "subject results": reverse("publishing:subject", args=[subject.pk]),
        "subject sheet": reverse("publishing:subject_sheet", args=[subject.pk]),
        "unit dashboard": reverse("publishing:unit_dashboard", args=[subject.pk]),
        "onsite subject": reverse("onsite:subject", args=[subject.pk]),
        "deductions": reverse("onsite:deductions", args=[subject.pk]),
        "evidence": reverse("onsite:evidence", args=[evidence.pk]),
        "checklist": reverse("onsite:checklist_fill", args=[subject.pk, checklist.indicator_id]),
        "results export": reverse("transfer:results_xlsx", args=[scheme.pk]),
        "scores export": reverse("transfer:scores_xlsx", args=[scheme.pk]),
    }


def _leaks(client, urls) -> dict[str, str]:
    found = {}
    for name, url in urls.items():
        response = client.get(url)
        text = _text(response)
        for canary in (REASON, ITEM_NOTE, "第1名", "优秀"):
            if canary in text and name not in found:
                found[name] = canary
        if name == "evidence" and response.status_code == 200:
            found[name] = "file served"
    return found


@pytest.mark.parametrize("status", [SchemeStatus.ACTIVE, SchemeStatus.FROZEN])
def test_unit_sees_nothing_before_publicity(seen, status):
    scheme, subject, client = seen
    Scheme.objects.filter(pk=scheme.pk).update(status=status)
    assert _leaks(client, _urls(scheme, subject)) == {}


def test_unit_sees_its_results_from_publicity_on(seen):
    scheme, subject, client = seen
    Scheme.objects.filter(pk=scheme.pk).update(status=SchemeStatus.PUBLICITY)
    urls = _urls(scheme, subject)
    assert REASON in _text(client.get(urls["onsite subject"]))
    assert "1.50" in _text(client.get(urls["subject results"]))
    assert client.get(urls["evidence"]).status_code == 200
