"""Tampering by someone with database access but without the audit key is detected.

Each test plays the attacker first (forged append, rewrite + re-hash, tail truncation,
manifest rewrite, forged anchor, forged key change), then checks that verify-audit (or
restore) refuses.
"""

import hashlib
import json
import zipfile
from io import StringIO

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command
from django.utils import timezone

from kaohe.audit import keys
from kaohe.audit.chain import KEY_CHANGE_ACTION, _payload
from kaohe.audit.models import AuditChainHead, AuditEvent
from kaohe.audit.services import audit_record, audit_verify, event_hash

pytestmark = pytest.mark.django_db
ATTACKER_KEY = b"the attacker's own key, not the audit key!"


@pytest.fixture
def anchors(settings, tmp_path):
    settings.KAOHE_AUDIT_ANCHOR_DIR = str(tmp_path / "anchors")
    return tmp_path / "anchors"


def _chain(n=5):
    for i in range(n):
        audit_record(action=f"test.step{i}", message=f"第 {i} 步")


def _insert_raw(**fields) -> AuditEvent:
    """What an attacker does with SQL: insert a row and move the head."""
    head = AuditChainHead.objects.get(pk=1)
    event = AuditEvent(
        occurred_at=timezone.now(), prev_hash=head.last_hash, action="score.set", **fields
    )
    event.hash = fields.pop("hash", None) or _attacker_hash(event)
    AuditEvent.objects.bulk_create([event])
    AuditChainHead.objects.filter(pk=1).update(last_hash=event.hash)
    return event


def _attacker_hash(event) -> str:
    if not event.key_id:
        return hashlib.sha256(_payload(event).encode()).hexdigest()
    return keys.mac(ATTACKER_KEY, _payload(event))


def _verify_fails(match: str):
    report = audit_verify()
    assert not report.ok and match in report.reason, report
    with pytest.raises(CommandError, match="断裂"):
        call_command("verify_audit", stdout=StringIO())


def test_new_events_are_keyed_and_verify():
    _chain()
    events = list(AuditEvent.objects.order_by("id"))
    ring = keys.keyring()
    assert events[0].action == KEY_CHANGE_ACTION  # the chain starts keyed
    assert all(e.key_id == ring.current_id for e in events)
    # A plain SHA-256 no longer reproduces the hash: it needs the key.
    assert events[1].hash != hashlib.sha256(_payload(events[1]).encode()).hexdigest()
    report = audit_verify()
    assert report.ok and report.keyed_from == events[0].pk and report.checked == 6


def test_forged_append_is_detected():
    _chain()
    ring = keys.keyring()
    _insert_raw(key_id=ring.current_id, message="伪造：给清丰县加分")
    _verify_fails("内容与哈希不符")


def test_forged_unkeyed_append_is_detected():
    _chain()
    _insert_raw(key_id="", message="伪造：无密钥的旧格式事件")
    _verify_fails("无密钥事件")


def test_forged_key_change_to_attacker_key_is_detected():
    _chain()
    ring = keys.keyring()
    forged_id = keys.key_id(ATTACKER_KEY)
    after = json.dumps({"key_id": forged_id, "previous_key_id": ring.current_id, "proof": "0"})
    _insert_raw(key_id=forged_id, after=after)
    _verify_fails("未知的审计密钥")


def test_rewrite_and_rehash_is_detected():
    _chain()
    events = list(AuditEvent.objects.order_by("id"))
    victim = events[2]
    prev = victim.prev_hash
    for event in events[2:]:  # rewrite one event and re-hash everything after it
        if event.pk == victim.pk:
            event.message = "篡改后的说明"
        event.prev_hash = prev
        event.hash = _attacker_hash(event)
        AuditEvent.objects.filter(pk=event.pk).update(
            message=event.message, prev_hash=event.prev_hash, hash=event.hash
        )
        prev = event.hash
    AuditChainHead.objects.filter(pk=1).update(last_hash=prev)
    report = audit_verify()
    assert not report.ok and report.broken_at == victim.pk


def test_tail_truncation_is_detected_by_the_anchor(anchors):
    _chain(3)
    out = StringIO()
    call_command("verify_audit", stdout=out)  # writes an anchor outside the database
    assert "审计锚点" in out.getvalue() and list(anchors.glob("anchor-*.json"))
    _chain(2)
    anchored = json.loads(sorted(anchors.glob("anchor-*.json"))[-1].read_text())["event_id"]
    # Drop everything from the anchored event on and reset the head: the chain itself is fine…
    keep = AuditEvent.objects.filter(id__lt=anchored).order_by("-id").first()
    AuditEvent.objects.filter(id__gte=anchored)._raw_delete("default")
    AuditChainHead.objects.filter(pk=1).update(last_hash=keep.hash)
    assert audit_verify(anchors=False).ok
    # …but the anchor names an event that is gone.
    _verify_fails("链尾被截断")


def test_forged_anchor_is_detected(anchors):
    _chain(2)
    call_command("verify_audit", stdout=StringIO())
    path = sorted(anchors.glob("anchor-*.json"))[-1]
    anchor = json.loads(path.read_text())
    anchor["hash"] = "f" * 64
    path.write_text(json.dumps(anchor))
    _verify_fails("签名无效")


def test_upgrade_from_an_unkeyed_chain_and_key_rotation(settings):
    # An installation from before the key: plain SHA-256 events, head without key id.
    prev = "0" * 64
    for i in range(3):
        event = AuditEvent(occurred_at=timezone.now(), prev_hash=prev, action=f"old.{i}")
        event.hash = event_hash(event)
        event.save()
        prev = event.hash
    AuditChainHead.objects.create(pk=1, last_hash=prev)
    assert audit_verify().ok and audit_verify().keyed_from is None
    audit_record(action="after.upgrade")
    change = AuditEvent.objects.get(action=KEY_CHANGE_ACTION)
    assert json.loads(change.after)["previous_key_id"] == ""
    report = audit_verify()
    assert report.ok and report.keyed_from == change.pk and report.checked == 5
    # Rotation: the new key is current, the old one stays for verification.
    old = keys.keyring()
    settings.KAOHE_AUDIT_KEY = "n" * 48
    settings.KAOHE_AUDIT_OLD_KEYS = [old.current.decode()]
    audit_record(action="after.rotation")
    second = AuditEvent.objects.filter(action=KEY_CHANGE_ACTION).order_by("-id").first()
    assert json.loads(second.after)["previous_key_id"] == old.current_id
    assert json.loads(second.after)["proof"]
    assert audit_verify().ok
    # Without the old key the older events cannot be verified (and the report says why).
    settings.KAOHE_AUDIT_OLD_KEYS = []
    assert "未知的审计密钥" in audit_verify().reason
    # The unkeyed history cannot be rewritten: its hashes are chained into the keyed events.
    settings.KAOHE_AUDIT_OLD_KEYS = [old.current.decode()]
    first = AuditEvent.objects.order_by("id").first()
    first.message = "改写旧事件"
    AuditEvent.objects.filter(pk=first.pk).update(message="改写旧事件", hash=event_hash(first))
    assert not audit_verify().ok


def test_production_without_a_key_is_refused(settings):
    settings.KAOHE_AUDIT_DEV_KEY = False
    settings.KAOHE_AUDIT_KEY = ""
    with pytest.raises(ImproperlyConfigured, match="KAOHE_AUDIT_KEY"):
        audit_record(action="x")
    settings.KAOHE_AUDIT_KEY = "short"
    with pytest.raises(ImproperlyConfigured, match="32"):
        keys.keyring()


def test_key_file(settings, tmp_path):
    path = tmp_path / "audit.key"
    path.write_text("# 审计密钥\n" + "k" * 40 + "\n" + "o" * 40 + "\n")
    settings.KAOHE_AUDIT_DEV_KEY = False
    settings.KAOHE_AUDIT_KEY_FILE = str(path)
    ring = keys.keyring()
    assert ring.current == b"k" * 40 and keys.key_id(b"o" * 40) in ring.keys


def test_manifest_rewrite_is_detected(tmp_path):
    _chain(2)
    good = tmp_path / "good.zip"
    call_command("backup", str(good), "--no-media", stdout=StringIO())
    with zipfile.ZipFile(good) as z:
        manifest, data = json.loads(z.read("manifest.json")), z.read("data.jsonl")
    assert manifest["signature"] and manifest["key_id"] == keys.keyring().current_id
    # The attacker edits the data and recomputes the checksum in the manifest.
    forged = data.replace("第 1 步".encode(), "第 9 步".encode())
    assert forged != data
    manifest["sha256"] = hashlib.sha256(forged).hexdigest()
    tampered = tmp_path / "tampered.zip"
    with zipfile.ZipFile(tampered, "w") as z:
        z.writestr("manifest.json", json.dumps(manifest))
        z.writestr("data.jsonl", forged)
    with pytest.raises(CommandError, match="签名无效"):
        call_command("restore", str(tampered), stdout=StringIO())
    # An unsigned (old-format) archive needs an explicit --allow-unsigned.
    del manifest["signature"]
    with zipfile.ZipFile(tampered, "w") as z:
        z.writestr("manifest.json", json.dumps(manifest))
        z.writestr("data.jsonl", forged)
    with pytest.raises(CommandError, match="没有签名"):
        call_command("restore", str(tampered), stdout=StringIO())
