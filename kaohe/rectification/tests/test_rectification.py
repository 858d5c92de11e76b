"""Rectification: items from deductions / office / objections, submit, verify, overdue,
last year's open items on next year's scheme, and page access."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from kaohe.audit.models import AuditEvent
from kaohe.common.testing import assert_view_access
from kaohe.common.uploads import MATERIALS, check_uploads
from kaohe.notifications.models import Notification
from kaohe.publishing import services as publishing
from kaohe.publishing.factories import PDF_BYTES, open_publicity, pdf_upload
from kaohe.rectification import selectors, services
from kaohe.rectification.choices import ItemSource, ItemStatus
from kaohe.rectification.models import RectificationItem
from kaohe.schemes.models import ScoreEntry, Subject
from kaohe.schemes.services import scheme_copy

pytestmark = pytest.mark.django_db
SOON = date(2030, 6, 30)


def subject_of(scheme, name):
    return Subject.objects.get(scheme=scheme, unit__name=name)


def office_item(demo, office, name="清丰县", deadline=SOON):
    return services.items_create(
        scheme=demo,
        subjects=[subject_of(demo, name)],
        title="行政决策程序制度落实有待加强",
        description="未开展重大行政决策听证、风险评估。",
        deadline=deadline,
        actor=office,
    )[0]


def test_items_from_deductions_once_each(demo, demo_users):
    office = demo_users["office"]
    created = services.items_from_deductions(scheme=demo, deadline=SOON, actor=office)
    noted = ScoreEntry.objects.filter(subject__scheme=demo).exclude(note="").count()
    assert created == noted > 0
    item = RectificationItem.objects.filter(source=ItemSource.DEDUCTION).first()
    assert item.indicator is not None and item.indicator.code in item.title
    assert services.items_from_deductions(scheme=demo, deadline=SOON, actor=office) == 0
    with pytest.raises(PermissionDenied):
        services.items_from_deductions(scheme=demo, deadline=SOON, actor=demo_users["qingfeng"])


def test_checklist_source_without_failures_creates_nothing(demo, demo_users):
    assert (
        services.items_from_checklists(scheme=demo, deadline=SOON, actor=demo_users["office"]) == 0
    )


def test_submit_verify_return_close(demo, demo_users):
    office, unit = demo_users["office"], demo_users["qingfeng"]
    item = office_item(demo, office)
    assert Notification.objects.filter(user=unit, title__contains="新的整改事项").exists()
    with pytest.raises(ValidationError, match="佐证"):
        services.item_submit(item=item, measures="已制定决策程序规定", actor=unit)
    with pytest.raises(PermissionDenied):
        services.item_submit(
            item=item,
            measures="x",
            files=check_uploads([pdf_upload()], MATERIALS),
            actor=demo_users["sifaju"],
        )
    services.item_submit(
        item=item,
        measures="已制定决策程序规定",
        files=check_uploads([pdf_upload()], MATERIALS),
        actor=unit,
    )
    item.refresh_from_db()
    assert item.status == ItemStatus.SUBMITTED and item.evidence.count() == 1
    with pytest.raises(ValidationError, match="理由"):
        services.item_verify(item=item, close=False, comment="", actor=office)
    services.item_verify(item=item, close=False, comment="缺少听证记录", actor=office)
    item.refresh_from_db()
    assert item.status == ItemStatus.RETURNED
    services.item_submit(item=item, measures="补充听证记录", actor=unit)  # earlier evidence kept
    with pytest.raises(PermissionDenied):
        services.item_verify(item=item, close=True, comment="", actor=unit)
    services.item_verify(item=item, close=True, comment="", actor=office)
    item.refresh_from_db()
    assert item.status == ItemStatus.CLOSED and not item.is_open
    actions = set(
        AuditEvent.objects.filter(object_id=str(item.pk)).values_list("action", flat=True)
    )
    assert {"rectification.create", "rectification.submit", "rectification.verify"} <= actions


def test_overdue_flag_and_filter(demo, demo_users):
    office = demo_users["office"]
    late = office_item(demo, office, deadline=timezone.localdate() - timedelta(days=1))
    on_time = office_item(demo, office, name="市司法局")
    assert late.is_overdue and not on_time.is_overdue
    overdue = selectors.items_for(office, demo, overdue=True)
    assert list(overdue) == [late]


def test_from_objection(demo, demo_users):
    office = demo_users["office"]
    open_publicity(demo, office)
    objection = publishing.objection_submit(
        subject=subject_of(demo, "清丰县"), text="扣分有误", actor=demo_users["qingfeng"]
    )
    publishing.objection_decide(
        objection=objection, upheld=False, decision_text="执法文书不规范，维持扣分", actor=office
    )
    item = services.item_from_objection(objection=objection, deadline=SOON, actor=office)
    assert item.source == ItemSource.OBJECTION and "执法文书不规范" in item.title
    assert services.item_from_objection(objection=objection, deadline=SOON, actor=office) is None


def test_next_year_shows_last_years_open_items(demo, demo_users):
    office = demo_users["office"]
    open_item = office_item(demo, office)
    closed = office_item(demo, office, name="市司法局")
    RectificationItem.objects.filter(pk=closed.pk).update(status=ItemStatus.CLOSED)
    nxt = scheme_copy(source=demo, code="puyang-2021", name="2021年度依法行政考核", year=2021)
    grouped = selectors.previous_open_items(office, nxt)
    assert {s.unit.name: [i.pk for i in items] for s, items in grouped.items()} == {
        "清丰县": [open_item.pk]
    }
    assert selectors.previous_open_items(demo_users["sifaju"], nxt) == {}
    page = _client(demo_users["qingfeng"]).get(reverse("rectification:scheme", args=[nxt.pk]))
    assert "上年度未完成整改的事项" in page.content.decode()


def _client(user):
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client


def test_pages_access_and_unit_isolation(demo, demo_users):
    office, qingfeng, sifaju = demo_users["office"], demo_users["qingfeng"], demo_users["sifaju"]
    item = office_item(demo, office)
    office_item(demo, office, name="市司法局")
    services.item_submit(
        item=item, measures="已整改", files=check_uploads([pdf_upload()], MATERIALS), actor=qingfeng
    )
    assert_view_access(
        reverse("rectification:item", args=[item.pk]), allowed=[qingfeng, office], denied=[sifaju]
    )
    evidence = item.evidence.get()
    assert_view_access(
        reverse("rectification:evidence", args=[evidence.pk]),
        allowed=[qingfeng, office],
        denied=[sifaju],
    )
    response = _client(qingfeng).get(reverse("rectification:evidence", args=[evidence.pk]))
    assert response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content) == PDF_BYTES
    page = _client(qingfeng).get(reverse("rectification:scheme", args=[demo.pk])).content.decode()
    assert "清丰县" in page and "市司法局" not in page
    assert_view_access(
        reverse("rectification:create", args=[demo.pk]),
        method="post",
        allowed=[office],
        denied=[qingfeng],
        data={"subjects": [item.subject_id], "title": "t", "deadline": "2030-01-01"},
    )
    xlsx = _client(office).get(reverse("rectification:scheme", args=[demo.pk]) + "?format=xlsx")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"


def test_generate_over_http(demo, office_client):
    response = office_client.post(
        reverse("rectification:generate", args=[demo.pk]),
        {"source": "deduction", "deadline": "2030-03-31"},
    )
    assert response.status_code == 302
    assert RectificationItem.objects.filter(scheme=demo, source=ItemSource.DEDUCTION).exists()


def test_objection_to_item_over_http(demo, demo_users, office_client):
    office = demo_users["office"]
    open_publicity(demo, office)
    objection = publishing.objection_submit(
        subject=subject_of(demo, "清丰县"), text="扣分有误", actor=demo_users["qingfeng"]
    )
    publishing.objection_decide(
        objection=objection, upheld=False, decision_text="维持", actor=office
    )
    url = reverse("rectification:from_objection", args=[objection.pk])
    assert_view_access(
        url,
        method="post",
        allowed=[office],
        denied=[demo_users["qingfeng"]],
        data={"deadline": "2030-01-01"},
    )
    assert RectificationItem.objects.filter(source=ItemSource.OBJECTION).count() == 1


def test_team_sees_only_items_of_its_visited_subjects(demo, demo_users):
    from kaohe.onsite.models import Team, Visit

    office, team1 = demo_users["office"], demo_users["team1"]
    mine = office_item(demo, office)
    other = office_item(demo, office, name="市司法局")
    assert list(selectors.items_for(team1, demo)) == []
    team = Team.objects.create(scheme=demo, name="第一考核组", leader=team1)
    Visit.objects.create(team=team, subject=mine.subject)
    assert list(selectors.items_for(team1, demo)) == [mine]
    assert_view_access(reverse("rectification:item", args=[mine.pk]), allowed=[team1], denied=[])
    assert_view_access(reverse("rectification:item", args=[other.pk]), allowed=[], denied=[team1])


def test_items_from_failed_checklist_answers(demo, demo_users):
    from kaohe.onsite.models import Checklist, ChecklistAnswer, ChecklistFill, ChecklistItem
    from kaohe.schemes.models import Indicator

    office = demo_users["office"]
    checklist = Checklist.objects.create(indicator=Indicator.objects.get(scheme=demo, code="X1.1"))
    ok = ChecklistItem.objects.create(checklist=checklist, order=1, text="领导小组全员参会")
    bad = ChecklistItem.objects.create(checklist=checklist, order=2, text="汇报问题精准")
    fill = ChecklistFill.objects.create(checklist=checklist, subject=subject_of(demo, "清丰县"))
    ChecklistAnswer.objects.create(fill=fill, item=ok, result="pass")
    ChecklistAnswer.objects.create(fill=fill, item=bad, result="fail", note="问题分析笼统")
    assert services.items_from_checklists(scheme=demo, deadline=SOON, actor=office) == 1
    item = RectificationItem.objects.get(source=ItemSource.CHECKLIST)
    assert "汇报问题精准" in item.title and item.description == "问题分析笼统"
    assert item.subject.unit.name == "清丰县" and item.indicator.code == "X1.1"
    assert services.items_from_checklists(scheme=demo, deadline=SOON, actor=office) == 0


def test_long_list_pages_and_export_keeps_every_item(demo, demo_users, office_client):
    """Issue 12 item 13: 99 items are not one page."""
    subjects = list(Subject.objects.filter(scheme=demo))
    services.items_create(
        scheme=demo,
        subjects=subjects,
        title="问题一",
        description="",
        deadline=SOON,
        actor=demo_users["office"],
    )
    services.items_create(
        scheme=demo,
        subjects=subjects[:20],
        title="问题二",
        description="",
        deadline=SOON,
        actor=demo_users["office"],
    )
    total = RectificationItem.objects.filter(scheme=demo).count()
    assert total == len(subjects) + 20 > 50
    url = reverse("rectification:scheme", args=[demo.pk])
    first = office_client.get(url).content.decode()
    assert first.count("/rectification/items/") == 50 and f"共 {total} 条" in first
    second = office_client.get(url, {"page": 2}).content.decode()
    assert second.count("/rectification/items/") == total - 50
    export = office_client.get(url, {"format": "xlsx"})
    from io import BytesIO

    from openpyxl import load_workbook

    assert load_workbook(BytesIO(export.content)).active.max_row == total + 1
