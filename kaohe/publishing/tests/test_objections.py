"""Objection flow: file within the period, review (uphold changes scores and ranks / reject),
notification, audit trail; and the HTTP pages for anonymous, wrong-unit and right-unit users."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from kaohe.audit.models import AuditEvent
from kaohe.common.testing import assert_view_access
from kaohe.common.uploads import MATERIALS, check_uploads
from kaohe.notifications.models import Notification
from kaohe.publishing import services
from kaohe.publishing.choices import ObjectionStatus
from kaohe.publishing.factories import PDF_BYTES, open_publicity, pdf_upload
from kaohe.publishing.models import Objection
from kaohe.schemes.models import Indicator, ScoreEntry, Subject
from kaohe.scoring.models import SubjectResult

pytestmark = pytest.mark.django_db


def subject_of(scheme, name):
    return Subject.objects.get(scheme=scheme, unit__name=name)


def adjacent_pair(scheme, category="县(区)"):
    """Two subjects ranked next to each other; the lower one is 清丰县 when possible."""
    rows = list(
        SubjectResult.objects.filter(scheme=scheme, grading_category__name=category)
        .select_related("subject__unit")
        .order_by("rank")
    )
    lower = next(r for r in rows if r.subject.unit.name == "清丰县")
    upper = next(r for r in rows if r.rank == lower.rank - 1)
    return upper, lower


def test_uphold_changes_score_rank_audit_and_notifies(
    demo, demo_users, mailoutbox, django_capture_on_commit_callbacks
):
    office, unit = demo_users["office"], demo_users["qingfeng"]
    unit.email = "qf@example.invalid"
    unit.save()
    open_publicity(demo, office)
    upper, lower = adjacent_pair(demo)
    subject = lower.subject
    leaf = Indicator.objects.get(scheme=demo, code="D1")
    gap = upper.total - lower.total
    entry = ScoreEntry.objects.get(subject=subject, indicator=leaf)
    new_value = min(leaf.max_score, entry.value + (gap / Decimal("0.6")) + 1).quantize(
        Decimal("0.1")
    )
    assert new_value > entry.value
    objection = services.objection_submit(
        subject=subject,
        indicator=leaf,
        text="专项工作已全部完成，不应扣分",
        files=check_uploads([pdf_upload()], MATERIALS),
        actor=unit,
    )
    assert objection.files.count() == 1
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.objection_decide(
            objection=objection,
            upheld=True,
            new_value=new_value,
            decision_text="核实材料后调整",
            actor=office,
        )
    objection.refresh_from_db()
    assert objection.status == ObjectionStatus.UPHELD
    assert objection.old_value == entry.value and objection.new_value == new_value
    assert objection.rank_before == lower.rank and objection.rank_after < lower.rank
    assert SubjectResult.objects.get(subject=subject).rank == objection.rank_after
    event = AuditEvent.objects.get(action="score.set", object_id=str(entry.pk))
    assert event.message.startswith(f"复核：复核申请#{objection.pk}")
    assert AuditEvent.objects.filter(action="results.recompute", message__contains="复核").exists()
    assert AuditEvent.objects.filter(
        action="objection.decide", object_id=str(objection.pk)
    ).exists()
    note = Notification.objects.filter(user=unit).order_by("-id").first()
    assert "成立" in note.title
    assert any("qf@example.invalid" in m.to for m in mail.outbox)


def test_reject_keeps_scores_and_needs_reason(demo, demo_users):
    office, unit = demo_users["office"], demo_users["qingfeng"]
    open_publicity(demo, office)
    subject = subject_of(demo, "清丰县")
    before = SubjectResult.objects.get(subject=subject).total
    objection = services.objection_submit(subject=subject, text="总分偏低", actor=unit)
    with pytest.raises(ValidationError, match="复核意见"):
        services.objection_decide(objection=objection, upheld=False, decision_text="", actor=office)
    with pytest.raises(PermissionDenied):
        services.objection_decide(
            objection=objection, upheld=False, decision_text="x", actor=demo_users["team1"]
        )
    services.objection_decide(
        objection=objection, upheld=False, decision_text="扣分有据，维持", actor=office
    )
    objection.refresh_from_db()
    assert objection.status == ObjectionStatus.REJECTED
    assert SubjectResult.objects.get(subject=subject).total == before
    assert "不成立" in Notification.objects.filter(user=unit).order_by("-id").first().title
    with pytest.raises(ValidationError, match="已处理"):
        services.objection_decide(
            objection=objection, upheld=False, decision_text="x", actor=office
        )


def test_filing_only_within_period_and_own_unit(demo, demo_users):
    office, unit = demo_users["office"], demo_users["qingfeng"]
    subject = subject_of(demo, "清丰县")
    with pytest.raises(ValidationError, match="公示期"):
        services.objection_submit(subject=subject, text="x", actor=unit)
    open_publicity(demo, office)
    with pytest.raises(PermissionDenied):
        services.objection_submit(
            subject=subject_of(demo, "市司法局"), text="x", actor=demo_users["qingfeng"]
        )
    today = timezone.localdate()
    services.publicity_open(
        scheme=demo, start=today - timedelta(days=9), end=today - timedelta(days=2), actor=office
    )
    with pytest.raises(ValidationError, match="公示期"):
        services.objection_submit(subject=subject, text="x", actor=unit)
    assert not Objection.objects.exists()


def test_upload_type_checked_by_content():
    fake = SimpleUploadedFile("证明.pdf", b"MZ\x90\x00 not a pdf at all")
    with pytest.raises(ValidationError, match="证明.pdf"):
        check_uploads([fake], MATERIALS)
    with pytest.raises(ValidationError, match="空文件"):
        check_uploads([SimpleUploadedFile("空.pdf", b"")], MATERIALS)
    assert check_uploads([pdf_upload()], MATERIALS)[0].content_type == "application/pdf"


def test_unit_results_page_hidden_before_publicity(demo, demo_users, client):
    subject = subject_of(demo, "清丰县")
    client.force_login(demo_users["qingfeng"])
    response = client.get(reverse("publishing:subject", args=[subject.pk]))
    assert response.status_code == 200 and "尚未公示" in response.content.decode()
    sheet = client.get(reverse("publishing:subject_sheet", args=[subject.pk]))
    assert sheet.status_code == 404


def test_pages_access(demo, demo_users):
    office, qingfeng, sifaju = demo_users["office"], demo_users["qingfeng"], demo_users["sifaju"]
    open_publicity(demo, office)
    subject = subject_of(demo, "清丰县")
    objection = services.objection_submit(
        subject=subject, text="x", files=check_uploads([pdf_upload()], MATERIALS), actor=qingfeng
    )
    for name in ("subject", "subject_sheet", "unit_dashboard"):
        assert_view_access(
            reverse(f"publishing:{name}", args=[subject.pk]),
            allowed=[qingfeng, office],
            denied=[sifaju],
        )
    assert_view_access(
        reverse("publishing:objection", args=[objection.pk]),
        allowed=[qingfeng, office],
        denied=[sifaju, demo_users["team1"]],
    )
    assert_view_access(
        reverse("publishing:objection_file", args=[objection.files.get().pk]),
        allowed=[qingfeng, office],
        denied=[sifaju],
    )
    for name in ("overview", "notice", "dashboard", "notice_docx"):
        assert_view_access(
            reverse(f"publishing:{name}", args=[demo.pk]),
            allowed=[office],
            denied=[qingfeng, demo_users["team1"]],
        )


def test_unit_page_shows_deduction_reasons_and_files_objection(demo, demo_users, client):
    open_publicity(demo, demo_users["office"])
    subject = subject_of(demo, "清丰县")
    client.force_login(demo_users["qingfeng"])
    page = client.get(reverse("publishing:subject", args=[subject.pk])).content.decode()
    result = SubjectResult.objects.get(subject=subject)
    assert f'id="rank">{result.rank}<' in page and result.grade in page
    notes = (
        ScoreEntry.objects.filter(subject=subject).exclude(note="").values_list("note", flat=True)
    )
    assert notes and all(n in page for n in notes)
    leaf = Indicator.objects.get(scheme=demo, code="D2")
    response = client.post(
        reverse("publishing:objection_create", args=[subject.pk]),
        {"indicator": leaf.pk, "text": "案卷评查扣分有误", "files": [pdf_upload("a.pdf")]},
    )
    objection = Objection.objects.get()
    assert response.status_code == 302 and objection.indicator == leaf
    download = client.get(reverse("publishing:objection_file", args=[objection.files.get().pk]))
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    assert b"".join(download.streaming_content) == PDF_BYTES
    # another unit's subject: 404, nothing filed
    other = subject_of(demo, "市司法局")
    response = client.post(
        reverse("publishing:objection_create", args=[other.pk]), {"text": "x", "indicator": ""}
    )
    assert response.status_code == 404 and Objection.objects.count() == 1


def test_office_status_buttons_over_http(demo, demo_users, office_client):
    assert office_client.post(reverse("publishing:freeze", args=[demo.pk])).status_code == 302
    today = timezone.localdate()
    office_client.post(
        reverse("publishing:publicity", args=[demo.pk]),
        {"start": today.isoformat(), "end": (today + timedelta(days=3)).isoformat()},
    )
    office_client.post(reverse("publishing:finalise", args=[demo.pk]))
    demo.refresh_from_db()
    assert demo.status == "publicity"  # the period has not ended
    office_client.post(
        reverse("publishing:publicity", args=[demo.pk]),
        {
            "start": (today - timedelta(days=7)).isoformat(),
            "end": (today - timedelta(days=1)).isoformat(),
        },
    )
    office_client.post(reverse("publishing:finalise", args=[demo.pk]))
    demo.refresh_from_db()
    assert demo.status == "final"
    page = office_client.get(reverse("publishing:overview", args=[demo.pk])).content.decode()
    assert "已定稿" in page


def test_filing_notifies_the_office(demo, demo_users):
    open_publicity(demo, demo_users["office"])
    objection = services.objection_submit(
        subject=subject_of(demo, "清丰县"), text="请复核", actor=demo_users["qingfeng"]
    )
    note = Notification.objects.get(user=demo_users["office"])
    assert f"#{objection.pk}" in note.title and note.url.endswith(f"/{objection.pk}/")
    assert not Notification.objects.filter(user=demo_users["team1"]).exists()


def test_unit_page_query_count_does_not_grow(
    demo, demo_users, client, django_assert_max_num_queries
):
    """Fixed query count: more objections and notes do not add queries."""
    open_publicity(demo, demo_users["office"])
    subject = subject_of(demo, "清丰县")
    client.force_login(demo_users["qingfeng"])
    url = reverse("publishing:subject", args=[subject.pk])
    with django_assert_max_num_queries(14):
        client.get(url)
    for n in range(5):
        services.objection_submit(subject=subject, text=f"第{n}条", actor=demo_users["qingfeng"])
    with django_assert_max_num_queries(14):
        assert client.get(url).status_code == 200


def test_overview_lists_changes_since_freeze(demo, demo_users, office_client):
    office = demo_users["office"]
    open_publicity(demo, office)
    upper, lower = adjacent_pair(demo)
    leaf = Indicator.objects.get(scheme=demo, code="D1")
    objection = services.objection_submit(
        subject=lower.subject, indicator=leaf, text="x", actor=demo_users["qingfeng"]
    )
    services.objection_decide(
        objection=objection, upheld=True, new_value=leaf.max_score, decision_text="y", actor=office
    )
    page = office_client.get(reverse("publishing:overview", args=[demo.pk])).content.decode()
    table = page[page.index('id="changes"') :]
    assert "清丰县" in table and upper.subject.unit.name in table
    assert f"第{lower.rank}名" in table and f"第{lower.rank - 1}名" in table


def test_own_results_call_only_deductions_deductions(demo, demo_users):
    """Issue 12 item 8: a directly scored item shows its score and note, no "扣分"."""
    from django.test import Client

    from kaohe.publishing.selectors import subject_results
    from kaohe.schemes.models import Scheme, Subject

    scheme = Scheme.objects.get(code="puyang-2020")
    subject = Subject.objects.get(scheme=scheme, unit__name="清丰县")
    rows = subject_results(subject).leaves
    entered = [r for r in rows if r.indicator.method == "entered" and r.score is not None]
    deduction = [r for r in rows if r.indicator.method == "deduction" and r.score is not None]
    assert entered and all(r.deducted == 0 for r in entered)
    assert any(r.score < r.indicator.max_score for r in entered)
    assert deduction and all(r.deducted == r.indicator.max_score - r.score for r in deduction)
    Scheme.objects.filter(pk=scheme.pk).update(status="publicity")
    client = Client()
    client.force_login(demo_users["qingfeng"])
    assert "评分说明" in client.get(f"/publishing/subjects/{subject.pk}/").content.decode()
