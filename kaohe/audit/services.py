"""Writing and verifying the audit chain."""

import hashlib
import json
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from .context import current_context
from .models import AuditChainHead, AuditEvent

GENESIS = "0" * 64


def _json_default(value):
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, models.Model):
        return value.pk
    return str(value)


def to_json(data: Any) -> str:
    """Canonical JSON (sorted keys, no spaces) so the hash is reproducible."""
    if data is None or data == "":
        return ""
    return json.dumps(
        data, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=_json_default
    )


def event_hash(event: AuditEvent) -> str:
    payload = "\x1f".join(
        [
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
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


@transaction.atomic
def audit_record(
    *,
    action: str,
    actor=None,
    obj: models.Model | None = None,
    scheme_id: int | None = None,
    before: Any = None,
    after: Any = None,
    message: str = "",
    ip_address: str | None = None,
) -> AuditEvent:
    """Append one event to the chain. Call it inside the service's transaction."""
    head = AuditChainHead.objects.select_for_update().filter(pk=1).first()
    if head is None:
        head, _ = AuditChainHead.objects.get_or_create(pk=1, defaults={"last_hash": GENESIS})
        head = AuditChainHead.objects.select_for_update().get(pk=1)
    actor = actor if actor is not None and getattr(actor, "is_authenticated", False) else None
    event = AuditEvent(
        occurred_at=timezone.now(),
        actor=actor,
        actor_username=actor.get_username() if actor else "",
        ip_address=ip_address if ip_address is not None else current_context().ip_address,
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None and obj.pk is not None else "",
        object_repr=str(obj)[:255] if obj is not None else "",
        scheme_id=scheme_id,
        message=message,
        before=to_json(before),
        after=to_json(after),
        prev_hash=head.last_hash,
    )
    event.hash = event_hash(event)
    event.save()
    head.last_hash = event.hash
    head.save(update_fields=["last_hash"])
    return event


@dataclass(frozen=True)
class ChainReport:
    checked: int
    broken_at: int | None
    reason: str = ""

    @property
    def ok(self) -> bool:
        return self.broken_at is None


def audit_verify() -> ChainReport:
    """Walk the chain in order; report the first event whose link or content does not match."""
    prev = GENESIS
    checked = 0
    last_pk = 0
    for event in AuditEvent.objects.order_by("id").iterator(chunk_size=2000):
        if event.prev_hash != prev:
            return ChainReport(checked, event.pk, "上一条哈希不符（有事件被删除或插入）")
        if event_hash(event) != event.hash:
            return ChainReport(checked, event.pk, "内容与哈希不符（事件被修改）")
        prev = event.hash
        last_pk = event.pk
        checked += 1
    head = AuditChainHead.objects.filter(pk=1).first()
    if head is not None and head.last_hash != prev:
        return ChainReport(checked, last_pk + 1, "链尾事件缺失（最新的事件被删除）")
    return ChainReport(checked, None)
