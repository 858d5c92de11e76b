"""Audit pages, export, verification after tampering, pruning with a checkpoint, denials."""

import json
from datetime import timedelta
from io import StringIO

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone

from kaohe.accounts.choices import Role
from kaohe.audit.models import AuditEvent
from kaohe.audit.services import PruneRefused, audit_prune, audit_record, audit_verify
from kaohe.common.testing import make_unit, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def auditor():
    unit = make_unit("审计市")
    user = make_user("aud", role=Role.AUDIT_ADMIN, unit=unit, subtree=True)
    client = Client()
    client.force_login(user)
    return client


def test_event_list_filters(auditor):
    audit_record(action="score.set", message="华龙区 D1")
    audit_record(action="role.assign", message="其他")
    page = auditor.get("/audit/", {"action": "score.", "q": "华龙区"})
    body = page.content.decode()
    assert (
        page.status_code == 200 and "score.set" in body and "<code>role.assign</code>" not in body
    )
    assert auditor.get("/audit/", {"from": "not-a-date", "page": "x"}).status_code == 200


def test_verify_page_reports_intact_and_broken(auditor):
    audit_record(action="x.one")
    assert "audit-ok" in auditor.get("/audit/verify/").content.decode()
    victim = AuditEvent.objects.get(action="x.one")
    AuditEvent.objects.filter(pk=victim.pk).update(message="篡改")
    body = auditor.get("/audit/verify/").content.decode()
    assert "audit-broken" in body and f"#{victim.pk}" in body


def test_export_csv_and_json(auditor):
    audit_record(action="score.set", message="=HYPERLINK(1)")
    csv_body = b"".join(auditor.get("/audit/export/").streaming_content).decode()
    assert csv_body.startswith("\ufeffid,occurred_at") and "'=HYPERLINK(1)" in csv_body
    response = auditor.get("/audit/export/", {"format": "json", "action": "score."})
    lines = b"".join(response.streaming_content).decode().strip().splitlines()
    rows = [json.loads(line) for line in lines]
    assert rows and all(r["action"] == "score.set" for r in rows)
    assert set(rows[0]) >= {"hash", "prev_hash", "ip_address", "before", "after"}


def test_export_denied_to_others():
    unit = make_unit("甲")
    client = Client()
    client.force_login(make_user("sys", role=Role.SYSTEM_ADMIN, unit=unit))
    assert client.get("/audit/export/").status_code == 403


def test_prune_refuses_young_events_and_keeps_chain_verifiable():
    now = timezone.now()
    with time_machine.travel(now - timedelta(days=400)):
        for i in range(3):
            audit_record(action=f"old.{i}")
    with time_machine.travel(now - timedelta(days=10)):
        audit_record(action="young")
    with pytest.raises(PruneRefused, match="6 个月"):
        audit_prune(before=now - timedelta(days=30))
    assert AuditEvent.objects.count() == 5  # the first is the chain's key-change event
    stream = StringIO()
    assert audit_prune(before=now - timedelta(days=200), export=stream) == 4
    assert len(stream.getvalue().splitlines()) == 4
    assert list(AuditEvent.objects.values_list("action", flat=True)) == ["young", "audit.prune"]
    report = audit_verify()
    assert report.ok and report.start_hash and report.checked == 2
    # Removing one more event is still detected.
    AuditEvent.objects.filter(action="young")._raw_delete("default")
    assert not audit_verify().ok


def test_prune_command(tmp_path):
    with time_machine.travel(timezone.now() - timedelta(days=400)):
        audit_record(action="old")
    with pytest.raises(CommandError, match="6 个月"):
        call_command("prune_audit", "--before", timezone.now().date().isoformat())
    with pytest.raises(CommandError, match="格式"):
        call_command("prune_audit", "--before", "2020-13-45")
    out = StringIO()
    target = (timezone.now() - timedelta(days=300)).date().isoformat()
    call_command(
        "prune_audit", "--before", target, "--export", str(tmp_path / "x.jsonl"), stdout=out
    )
    assert "已清理 2 条" in out.getvalue()  # the key-change event and "old"
    call_command("verify_audit", stdout=StringIO())


def test_checkpoint_cannot_be_forged_by_editing():
    with time_machine.travel(timezone.now() - timedelta(days=400)):
        audit_record(action="old")
    audit_record(action="new")
    audit_prune(before=timezone.now() - timedelta(days=200))
    AuditEvent.objects.filter(action="audit.prune").update(message="x")
    assert not audit_verify().ok


def test_access_module_denials_are_audited(demo, demo_users):
    from kaohe.schemes.models import Subject

    nanle = Subject.objects.get(unit__name="南乐县")
    client = Client()
    client.force_login(demo_users["qingfeng"])
    from kaohe.schemes.access import access_subject

    with pytest.raises(Exception):  # noqa: B017 - Http404
        access_subject(demo_users["qingfeng"], nanle.pk)
    event = AuditEvent.objects.filter(action="access.denied").latest("id")
    assert event.actor_username == "qingfeng" and str(nanle.pk) in event.after


def test_csrf_failure_is_logged():
    client = Client(enforce_csrf_checks=True)
    client.force_login(make_user("csrfer"))
    assert client.post("/account/sessions/end-others/").status_code == 403
    assert AuditEvent.objects.filter(action="access.denied", actor_username="csrfer").exists()


def test_create_admin_command():
    from kaohe.accounts.models import User

    out = StringIO()
    call_command("create_admin", "root", "--unit", "某市", stdout=out)
    user = User.objects.get(username="root")
    assert user.must_change_password and "初始密码" in out.getvalue()
    assert user.role_assignments.get().role == Role.SYSTEM_ADMIN
    with pytest.raises(CommandError, match="已存在系统管理员"):
        call_command("create_admin", "root2", "--unit", "某市", stdout=out)
    assert User.objects.count() == 1  # no demo accounts in a production install
    assert "三员尚缺：安全管理员、审计管理员" in out.getvalue()
    # The other two of the 三员 are bootstrapped the same way, each once.
    call_command("create_admin", "sec", "--unit", "某市", "--role", "security_admin", stdout=out)
    call_command("create_admin", "aud", "--unit", "某市", "--role", "audit_admin", stdout=out)
    assert User.objects.get(username="aud").role_assignments.get().role == Role.AUDIT_ADMIN
    with pytest.raises(CommandError, match="已存在审计管理员"):
        call_command("create_admin", "aud2", "--unit", "某市", "--role", "audit_admin")
    assert AuditEvent.objects.filter(action="role.assign").count() == 3


def test_not_found_object_pages_are_logged_once(demo, demo_users):
    from kaohe.schemes.models import Subject

    nanle = Subject.objects.get(unit__name="南乐县")
    client = Client()
    client.force_login(demo_users["qingfeng"])
    before = AuditEvent.objects.filter(action__startswith="access.").count()
    assert client.get(f"/results/subject/{nanle.pk}/").status_code == 404
    events = AuditEvent.objects.filter(action__startswith="access.").order_by("id")[before:]
    assert [e.action for e in events] == ["access.denied"]  # not also access.not_found
    assert client.get("/results/subject/987654/").status_code == 404
    assert AuditEvent.objects.filter(action="access.not_found", actor_username="qingfeng").exists()
    assert client.get("/no-such-page/").status_code == 404  # not an object URL: not logged
    assert AuditEvent.objects.filter(action="access.not_found").count() == 1


def test_export_links_carry_the_filter_on_screen(auditor):
    """The probe: the CSV link put a Python dict into the URL and exported everything."""
    import re
    from html import unescape

    audit_record(action="score.set", message="华龙区 D1")
    for i in range(3):
        audit_record(action="role.assign", message=f"其他 {i}")
    page = auditor.get("/audit/", {"action": "score.", "q": "华龙区"}).content.decode()
    links = [unescape(h) for h in re.findall(r'href="(/audit/export/[^"]*)"', page)]
    assert len(links) == 2 and all("{" not in link and "%7B" not in link for link in links)
    for link in links:
        body = b"".join(auditor.get(link).streaming_content).decode()
        assert "华龙区" in body and "其他" not in body


def test_control_characters_are_escaped_in_events_never_refused():
    """A NUL in a request path or a name must not make an event unrecordable (PostgreSQL)."""
    event = audit_record(action="x.nul", message="404 GET /tasks/\x00/", after={"p": "\x00"})
    event.refresh_from_db()
    assert event.message == "404 GET /tasks/\\x00/" and "\x00" not in event.after
    assert audit_verify().ok
