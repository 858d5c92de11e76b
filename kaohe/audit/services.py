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
    actor = actor if actor is not None and getattr(actor, "is_authenticated", False) else None
    via = current_context().via
    if via:
        message = f"{message}（{via}）" if message else f"（{via}）"
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
    start_hash: str = ""  # not GENESIS when old events were pruned behind a checkpoint

    @property
    def ok(self) -> bool:
        return self.broken_at is None


PRUNE_ACTION = "audit.prune"


def _checkpoint_for(prev_hash: str) -> bool:
    """True when a prune checkpoint event vouches for `prev_hash` as the last pruned event."""
    for event in AuditEvent.objects.filter(action=PRUNE_ACTION, after__contains=prev_hash):
        try:
            data = json.loads(event.after)
        except ValueError:
            continue
        if data.get("last_pruned_hash") == prev_hash and event_hash(event) == event.hash:
            return True
    return False


def audit_verify() -> ChainReport:
    """Walk the chain in order; report the first event whose link or content does not match.

    After pruning, the oldest kept event links to a pruned one; the chain then starts from the
    hash recorded in the (itself chained) prune checkpoint event.
    """
    prev = GENESIS
    first = AuditEvent.objects.order_by("id").first()
    start = ""
    if first is not None and first.prev_hash != GENESIS and _checkpoint_for(first.prev_hash):
        prev = start = first.prev_hash
    checked = 0
    last_pk = 0
    for event in AuditEvent.objects.order_by("id").iterator(chunk_size=2000):
        if event.prev_hash != prev:
            return ChainReport(checked, event.pk, "上一条哈希不符（有事件被删除或插入）", start)
        if event_hash(event) != event.hash:
            return ChainReport(checked, event.pk, "内容与哈希不符（事件被修改）", start)
        prev = event.hash
        last_pk = event.pk
        checked += 1
    head = AuditChainHead.objects.filter(pk=1).first()
    if head is not None and head.last_hash != prev:
        return ChainReport(checked, last_pk + 1, "链尾事件缺失（最新的事件被删除）", start)
    return ChainReport(checked, None, "", start)


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
