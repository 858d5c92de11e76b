"""Freeze → publicity → final, and the lock: no score change after finalising until re-opened."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from kaohe.audit.models import AuditEvent
from kaohe.notifications.models import Notification
from kaohe.publishing import services
from kaohe.publishing.factories import end_publicity, first_leaf, open_publicity
from kaohe.publishing.models import ResultSnapshot
from kaohe.schemes.choices import SchemeStatus
from kaohe.schemes.models import Subject
from kaohe.scoring.services import score_set

pytestmark = pytest.mark.django_db


def test_freeze_snapshots_and_blocks_plain_score_edits(demo, demo_users):
    office = demo_users["office"]
    services.scheme_freeze(scheme=demo, actor=office)
    demo.refresh_from_db()
    assert demo.status == SchemeStatus.FROZEN
    snap = ResultSnapshot.objects.get(scheme=demo)
    assert len(snap.data) == demo.subjects.count()
    subject = Subject.objects.get(scheme=demo, unit__name="清丰县")
    with pytest.raises(ValidationError):
        score_set(subject=subject, indicator=first_leaf(demo), value=Decimal("1"), actor=office)
    assert AuditEvent.objects.filter(action="scheme.freeze", scheme_id=demo.pk).exists()


def test_only_office_may_change_status(demo, demo_users):
    with pytest.raises(PermissionDenied):
        services.scheme_freeze(scheme=demo, actor=demo_users["qingfeng"])
    with pytest.raises(PermissionDenied):
        services.scheme_freeze(scheme=demo, actor=demo_users["team1"])
    demo.refresh_from_db()
    assert demo.status == SchemeStatus.ACTIVE


def test_publicity_sets_dates_and_notifies_units(demo, demo_users):
    open_publicity(demo, demo_users["office"])
    demo.refresh_from_db()
    assert demo.status == SchemeStatus.PUBLICITY
    assert demo.notice_start <= demo.notice_end
    assert Notification.objects.filter(user=demo_users["qingfeng"]).count() == 1
    assert not Notification.objects.filter(user=demo_users["office"]).exists()


def test_publicity_requires_freeze_and_valid_dates(demo, demo_users):
    office = demo_users["office"]
    with pytest.raises(ValidationError, match="冻结"):
        services.publicity_open(
            scheme=demo, start=date(2021, 6, 1), end=date(2021, 6, 7), actor=office
        )
    services.scheme_freeze(scheme=demo, actor=office)
    with pytest.raises(ValidationError, match="早于"):
        services.publicity_open(
            scheme=demo, start=date(2021, 6, 7), end=date(2021, 6, 1), actor=office
        )


def test_score_change_after_finalise_refused_then_allowed_after_audited_reopen(demo, demo_users):
    office = demo_users["office"]
    open_publicity(demo, office)
    with pytest.raises(ValidationError, match="尚未结束"):
        services.scheme_finalise(scheme=demo, actor=office)
    end_publicity(demo, office)
    services.scheme_finalise(scheme=demo, actor=office)
    demo.refresh_from_db()
    assert demo.status == SchemeStatus.FINAL
    subject = Subject.objects.get(scheme=demo, unit__name="清丰县")
    leaf = first_leaf(demo)
    with pytest.raises(ValidationError, match="锁定"):
        score_set(
            subject=subject, indicator=leaf, value=Decimal("1"), actor=office, override_reason="x"
        )
    with pytest.raises(ValidationError, match="理由"):
        services.scheme_reopen(scheme=demo, reason="", actor=office)
    with pytest.raises(PermissionDenied):
        services.scheme_reopen(scheme=demo, reason="发现录入错误需更正", actor=demo_users["team1"])
    demo.refresh_from_db()
    assert demo.status == SchemeStatus.FINAL
    services.scheme_reopen(scheme=demo, reason="发现录入错误需更正", actor=office)
    event = AuditEvent.objects.get(action="scheme.reopen", scheme_id=demo.pk)
    assert event.message == "发现录入错误需更正" and event.actor_username == "office"
    demo.refresh_from_db()
    assert demo.status == SchemeStatus.ACTIVE
    subject = Subject.objects.get(pk=subject.pk)  # scores_save reads subject.scheme's status
    entry = score_set(subject=subject, indicator=leaf, value=Decimal("1"), actor=office)
    assert entry.value == Decimal("1")


def test_finalise_refused_with_pending_objection(demo, demo_users):
    office = demo_users["office"]
    open_publicity(demo, office)
    subject = Subject.objects.get(scheme=demo, unit__name="清丰县")
    services.objection_submit(subject=subject, text="得分有误", actor=demo_users["qingfeng"])
    end_publicity(demo, office)
    with pytest.raises(ValidationError, match="未处理"):
        services.scheme_finalise(scheme=demo, actor=office)


def test_each_step_says_the_new_status_and_asks_first(demo, office_client):
    from datetime import timedelta

    from django.utils import timezone

    overview = reverse("publishing:overview", args=[demo.pk])
    page = office_client.get(overview).content.decode()
    assert 'data-confirm="冻结结果：' in page and "此步不通知任何单位" in page
    response = office_client.post(reverse("publishing:freeze", args=[demo.pk]), follow=True)
    body = response.content.decode()
    assert "方案当前状态：结果已冻结" in body and "考核中。" not in body
    assert "开始公示：46 个被考核单位的用户将收到通知" in body
    # 定稿 is not offered before the publicity period; the reason is shown instead.
    assert 'id="finalise-btn"' not in body and "须公示期满后定稿" in body
    today = timezone.localdate()
    response = office_client.post(
        reverse("publishing:publicity", args=[demo.pk]),
        {"start": today - timedelta(days=9), "end": today + timedelta(days=1)},
        follow=True,
    )
    body = response.content.decode()
    assert "方案当前状态：公示中" in body and "结果已冻结。" not in body
    assert 'id="finalise-btn"' not in body and "尚未结束，不能定稿" in body
    office_client.post(
        reverse("publishing:publicity", args=[demo.pk]),
        {"start": today - timedelta(days=9), "end": today - timedelta(days=1)},
    )
    body = office_client.get(overview).content.decode()
    assert 'id="finalise-btn"' in body and 'data-confirm="定稿并锁定：' in body
    response = office_client.post(reverse("publishing:finalise", args=[demo.pk]), follow=True)
    assert "方案当前状态：已定稿" in response.content.decode()
    response = office_client.post(
        reverse("publishing:reopen", args=[demo.pk]), {"reason": "复核发现录入错误"}, follow=True
    )
    assert "方案当前状态：考核中" in response.content.decode()
