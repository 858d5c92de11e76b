"""Writing the audit chain (hashing and verifying: chain.py; the key: keys.py)."""

import json
import re
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone, translation

from . import keys
from .chain import (  # noqa: F401  (re-exported: callers import them from services)
    GENESIS,
    KEY_CHANGE_ACTION,
    PRUNE_ACTION,
    ChainReport,
    audit_verify,
    event_hash,
    key_change_after,
)
from .context import current_context
from .models import AuditChainHead, AuditEvent


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


@transaction.atomic(savepoint=False)  # inside the caller's transaction: no savepoint round trips
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
    ring = keys.keyring()
    ip_address = ip_address if ip_address is not None else current_context().ip_address
    if head.key_id != ring.current_id:
        # First event since the upgrade or since a new key was configured: the chained
        # key-change event (MAC'ed with the new key, vouched for by the old one).
        _append(
            head,
            ring,
            ip_address=ip_address,
            action=KEY_CHANGE_ACTION,
            message="审计链更换密钥" if head.key_id else "审计链启用密钥（此后的事件均带密钥）",
            after=to_json(key_change_after(head, ring)),
        )
    actor = actor if actor is not None and getattr(actor, "is_authenticated", False) else None
    via = current_context().via
    if via:  # e.g. the API token's name, on every event of the request
        message = f"{message}（{via}）" if message else f"（{via}）"
    # The chain is written in the site's language whatever the actor reads: object names and
    # labels in before/after (translated lazily) do not change with the request's language.
    with translation.override(settings.LANGUAGE_CODE):
        return _append(
            head,
            ring,
            actor=actor,
            actor_username=actor.get_username() if actor else "",
            ip_address=ip_address,
            action=action,
            object_type=obj._meta.label_lower if obj is not None else "",
            object_id=str(obj.pk) if obj is not None and obj.pk is not None else "",
            object_repr=str(obj)[:255] if obj is not None else "",
            scheme_id=scheme_id,
            message=str(message),
            before=to_json(before),
            after=to_json(after),
        )


# Control characters (NUL…) from request paths or names are escaped, never stored: PostgreSQL
# refuses NUL, and an event must always be recordable.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_LIMITS = {"actor_username": 150, "ip_address": 64, "object_type": 64, "object_id": 64}


def _printable(name: str, value):
    if not isinstance(value, str):
        return value
    value = _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", value)
    return value[: _LIMITS[name]] if name in _LIMITS else value


def _append(head: AuditChainHead, ring, **fields) -> AuditEvent:
    fields = {name: _printable(name, value) for name, value in fields.items()}
    event = AuditEvent(
        occurred_at=timezone.now(), prev_hash=head.last_hash, key_id=ring.current_id, **fields
    )
    event.hash = event_hash(event, ring)
    event.save()
    head.last_hash, head.key_id = event.hash, ring.current_id
    head.save(update_fields=["last_hash", "key_id"])
    every = getattr(settings, "KAOHE_AUDIT_ANCHOR_EVERY", 0)
    if every and event.pk % every == 0:
        from .anchors import anchor_write

        pk, digest = event.pk, event.hash
        transaction.on_commit(lambda: anchor_write(pk, digest, reason="periodic"))
    return event


class PruneRefused(Exception):
    """Pruning would remove events younger than the retention period, or the chain is broken."""


def retention_cutoff(now: datetime | None = None) -> datetime:
    from datetime import timedelta

    from django.conf import settings

    days = max(183, getattr(settings, "KAOHE_AUDIT_RETENTION_DAYS", 183))
    return (now or timezone.now()) - timedelta(days=days)


@transaction.atomic
def audit_prune(*, before: datetime, actor=None, export=None) -> int:
    """Delete the oldest events (those before `before`), keeping the chain verifiable.

    Refuses when `before` is inside the retention period (≥ 6 months) or the chain is already
    broken. Writes the pruned events to `export` (a text stream, JSON lines) when given, then
    appends a checkpoint event carrying the hash of the last pruned event.
    """
    if before > retention_cutoff():
        raise PruneRefused(
            f"审计日志至少保存 6 个月：只能清理 {retention_cutoff():%Y-%m-%d} 之前的事件。"
        )
    report = audit_verify()
    if not report.ok:
        raise PruneRefused(f"审计链在事件 #{report.broken_at} 处已断裂，不能清理：{report.reason}")
    AuditChainHead.objects.select_for_update().filter(pk=1).first()
    first_kept = AuditEvent.objects.filter(occurred_at__gte=before).order_by("id").first()
    doomed = AuditEvent.objects.all()
    if first_kept is not None:
        doomed = doomed.filter(id__lt=first_kept.pk)
    last = doomed.order_by("-id").first()
    if last is None:
        return 0
    if export is not None:
        from .selectors import event_row

        for event in doomed.order_by("id").iterator(chunk_size=2000):
            export.write(json.dumps(event_row(event), ensure_ascii=False) + "\n")
    count = doomed.count()
    doomed._raw_delete(doomed.db)
    audit_record(
        action=PRUNE_ACTION,
        actor=actor,
        after={
            "before": before.isoformat(),
            "pruned": count,
            "last_pruned_id": last.pk,
            "last_pruned_hash": last.hash,
        },
        message=f"清理 {before:%Y-%m-%d} 之前的审计事件 {count} 条",
    )
    return count
