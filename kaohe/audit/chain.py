"""Hashing and verifying the audit chain.

Each event's hash covers its content and the previous event's hash. Events written since the
chain was keyed carry the id of the audit key and their hash is an HMAC with that key
(keys.py), so without the key nobody can append, rewrite or re-hash an event that verifies.
Events from before the upgrade (empty key id) keep their plain SHA-256 and are protected by
the keyed events chained after them.

The key changes only at an `audit.key_change` event: it names the new key, is MAC'ed with it,
and carries a MAC by the previous key over the new key id and the link (none when the chain
was unkeyed), so a forged key change shows. Anchors (anchors.py) written outside the database
let verify notice a dropped tail.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from django.utils.translation import gettext

from . import keys as keys_module
from .models import AuditChainHead, AuditEvent

GENESIS = "0" * 64
PRUNE_ACTION = "audit.prune"
KEY_CHANGE_ACTION = "audit.key_change"


def _payload(event: AuditEvent) -> str:
    parts = [
        event.prev_hash,
        event.occurred_at.isoformat(),
        event.actor_username,
        event.ip_address,
        event.action,
        event.object_type,
        event.object_id,
        event.object_repr,
        "" if event.scheme_id is None else str(event.scheme_id),
        event.message,
        event.before,
        event.after,
    ]
    if event.key_id:
        parts.append(event.key_id)
    return "\x1f".join(parts)


def event_hash(event: AuditEvent, ring: keys_module.Keyring | None = None) -> str:
    """The hash the event must carry: HMAC with its key, or SHA-256 for unkeyed old events.

    An event whose key is not in the keyring gets a hash that never matches ("" → mismatch).
    """
    if not event.key_id:
        return hashlib.sha256(_payload(event).encode("utf-8")).hexdigest()
    ring = ring or keys_module.keyring()
    key = ring.get(event.key_id)
    if key is None:
        return ""
    return keys_module.mac(key, _payload(event))


def key_change_proof(old_key: bytes, new_key_id: str, prev_hash: str) -> str:
    """The previous key's consent to the change: a MAC over the new key id and the link."""
    return keys_module.mac(old_key, f"kaohe-audit-key-change\x1f{new_key_id}\x1f{prev_hash}")


def key_change_after(head: AuditChainHead, ring: keys_module.Keyring) -> dict:
    """The `after` of the key-change event that moves the chain from head.key_id to the
    current key."""
    old_key = ring.get(head.key_id) if head.key_id else None
    return {
        "key_id": ring.current_id,
        "previous_key_id": head.key_id,
        "proof": key_change_proof(old_key, ring.current_id, head.last_hash) if old_key else "",
        "previous_key_missing": bool(head.key_id) and old_key is None,
    }


@dataclass(frozen=True)
class ChainReport:
    checked: int
    broken_at: int | None
    reason: str = ""
    start_hash: str = ""  # not GENESIS when old events were pruned behind a checkpoint
    keyed_from: int | None = None  # first keyed event (the chain's upgrade to a key)
    key_id: str = ""  # key of the newest event
    anchor: str = ""  # what the anchor check found (anchors.py)

    @property
    def ok(self) -> bool:
        return self.broken_at is None


def _checkpoint_for(prev_hash: str, ring) -> bool:
    """True when a prune checkpoint event vouches for `prev_hash` as the last pruned event."""
    for event in AuditEvent.objects.filter(action=PRUNE_ACTION, after__contains=prev_hash):
        try:
            data = json.loads(event.after)
        except ValueError:
            continue
        if data.get("last_pruned_hash") == prev_hash and event_hash(event, ring) == event.hash:
            return True
    return False


def _key_step(event: AuditEvent, prev: AuditEvent | None, ring) -> str:
    """Why the key of `event` may not follow that of `prev` ("" when it may)."""
    previous_id = prev.key_id if prev is not None else None
    if previous_id is not None and previous_id and not event.key_id:
        return gettext("已启用密钥后出现无密钥事件（伪造或降级）")
    if event.key_id and event.key_id not in ring.keys:
        return gettext("事件使用了未知的审计密钥 %(key_id)s（伪造，或未配置旧密钥）") % {
            "key_id": event.key_id
        }
    if previous_id is None or event.key_id == previous_id:
        return ""
    if event.action != KEY_CHANGE_ACTION:
        return gettext("密钥更换未经密钥更换事件")
    try:
        data = json.loads(event.after)
    except ValueError:
        return gettext("密钥更换事件内容无效")
    if data.get("key_id") != event.key_id or data.get("previous_key_id") != previous_id:
        return gettext("密钥更换事件与事件密钥不一致")
    if previous_id:
        old = ring.get(previous_id)
        if old is None or data.get("proof") != key_change_proof(old, event.key_id, prev.hash):
            return gettext("密钥更换未经旧密钥确认")
    return ""


def audit_verify(*, anchors: bool = True) -> ChainReport:
    """Walk the chain in order; report the first event whose link, key or content does not
    match, then check the newest anchor written outside the database.

    After pruning, the oldest kept event links to a pruned one; the chain then starts from the
    hash recorded in the (itself chained) prune checkpoint event.
    """
    ring = keys_module.keyring()
    prev_hash = GENESIS
    first = AuditEvent.objects.order_by("id").first()
    start = ""
    if first is not None and first.prev_hash != GENESIS and _checkpoint_for(first.prev_hash, ring):
        prev_hash = start = first.prev_hash
    checked, keyed_from = 0, None
    prev: AuditEvent | None = None
    for event in AuditEvent.objects.order_by("id").iterator(chunk_size=2000):
        if event.prev_hash != prev_hash:
            return ChainReport(
                checked, event.pk, gettext("上一条哈希不符（有事件被删除或插入）"), start
            )
        problem = _key_step(event, prev, ring)
        if problem:
            return ChainReport(checked, event.pk, problem, start)
        if event_hash(event, ring) != event.hash:
            return ChainReport(checked, event.pk, gettext("内容与哈希不符（事件被修改）"), start)
        if event.key_id and keyed_from is None:
            keyed_from = event.pk
        prev_hash, prev = event.hash, event
        checked += 1
    last_pk = prev.pk if prev is not None else 0
    key = prev.key_id if prev is not None else ""
    head = AuditChainHead.objects.filter(pk=1).first()
    if head is not None and head.last_hash != prev_hash:
        return ChainReport(
            checked,
            last_pk + 1,
            gettext("链尾事件缺失（最新的事件被删除）"),
            start,
            keyed_from,
            key,
        )
    anchor = ""
    if anchors:
        from .anchors import anchor_check

        anchor, problem = anchor_check(ring)
        if problem:
            return ChainReport(checked, last_pk + 1, problem, start, keyed_from, key, anchor)
    return ChainReport(checked, None, "", start, keyed_from, key, anchor)
