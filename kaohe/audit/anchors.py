"""Anchors: signed checkpoints of the audit chain head, kept outside the database.

A database administrator can drop the newest events and reset the chain head, and the
chain alone cannot tell. An anchor — the id and hash of an event, signed with the audit key —
written to a directory outside the database (KAOHE_AUDIT_ANCHOR_DIR; best on other storage,
or copied off by syslog/cron) and printed as a line the audit admin can file, lets
`kaohe verify-audit` notice: the anchored event must still be there with the same hash.

Anchors are written every KAOHE_AUDIT_ANCHOR_EVERY events, by every `kaohe verify-audit`
that finds the chain intact, and by every backup.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext

from . import keys as keys_module
from .models import AuditEvent

FORMAT = "kaohe-audit-anchor/1"


def anchor_dir() -> Path | None:
    folder = getattr(settings, "KAOHE_AUDIT_ANCHOR_DIR", "")
    return Path(folder) if folder else None


def _signed(data: dict, ring) -> dict:
    body = {**data, "key_id": ring.current_id}
    text = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return {**body, "signature": keys_module.mac(ring.current, text)}


def signature_ok(data: dict, ring) -> bool:
    """True when `data` (an anchor or a backup manifest) carries a valid signature."""
    body = {k: v for k, v in data.items() if k != "signature"}
    key = ring.get(str(body.get("key_id", "")))
    if key is None or not isinstance(data.get("signature"), str):
        return False
    text = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return keys_module.mac(key, text) == data["signature"]


def sign(data: dict, ring=None) -> dict:
    """`data` plus key_id and signature (HMAC with the current audit key)."""
    return _signed(data, ring or keys_module.keyring())


def anchor_line(anchor: dict) -> str:
    """The line the audit admin files (on paper or elsewhere) to check the chain later."""
    return gettext("审计锚点 %(at)s 事件#%(event)s 哈希 %(hash)s 签名 %(signature)s") % {
        "at": anchor["written_at"][:19],
        "event": anchor["event_id"],
        "hash": anchor["hash"],
        "signature": anchor["signature"][:16],
    }


def anchor_write(event_id: int | None = None, event_hash: str = "", *, reason: str = "") -> dict:
    """Anchor the given event (default: the newest) in the anchor directory; returns it.

    Without a configured directory the anchor is still returned (for printing).
    """
    if event_id is None:
        newest = AuditEvent.objects.order_by("-id").first()
        if newest is None:
            return {}
        event_id, event_hash = newest.pk, newest.hash
    anchor = sign(
        {
            "format": FORMAT,
            "written_at": timezone.now().isoformat(),
            "event_id": event_id,
            "hash": event_hash,
            "reason": reason,
        }
    )
    folder = anchor_dir()
    if folder is not None:
        folder.mkdir(parents=True, exist_ok=True)
        name = f"anchor-{event_id:012d}-{timezone.now():%Y%m%d%H%M%S%f}.json"
        temporary = folder / (name + ".tmp")
        temporary.write_text(json.dumps(anchor, ensure_ascii=False, indent=1), encoding="utf-8")
        os.replace(temporary, folder / name)
    return anchor


def anchor_latest() -> dict | None:
    """The anchor of the newest event in the directory (unreadable files count as problems)."""
    folder = anchor_dir()
    if folder is None or not folder.is_dir():
        return None
    names = sorted(p.name for p in folder.glob("anchor-*.json"))
    if not names:
        return None
    try:
        return json.loads((folder / names[-1]).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {"unreadable": names[-1]}


def _pruned_past(event_id: int) -> bool:
    """True when a prune checkpoint accounts for the anchored event being gone."""
    from .chain import PRUNE_ACTION

    for after in AuditEvent.objects.filter(action=PRUNE_ACTION).values_list("after", flat=True):
        try:
            if int(json.loads(after).get("last_pruned_id", 0)) >= event_id:
                return True
        except (ValueError, TypeError, AttributeError):
            continue
    return False


def anchor_check(ring) -> tuple[str, str]:
    """(what was checked, problem or "") for the newest anchor against the database."""
    anchor = anchor_latest()
    if anchor is None:
        return gettext("没有锚点（未配置 KAOHE_AUDIT_ANCHOR_DIR 或尚未写入）"), ""
    if "unreadable" in anchor:
        return "", (gettext("锚点文件 %(value)s 无法读取") % {"value": anchor["unreadable"]})
    if anchor.get("format") != FORMAT or not signature_ok(anchor, ring):
        return "", gettext("最新锚点的签名无效（锚点被伪造，或未配置写入它的密钥）")
    event_id, expected = anchor.get("event_id"), anchor.get("hash")
    event = AuditEvent.objects.filter(pk=event_id).only("hash").first()
    seen = gettext("锚点 事件#%(event_id)s（%(value)s）") % {
        "event_id": event_id,
        "value": str(anchor.get("written_at", ""))[:19],
    }
    if event is None:
        if _pruned_past(int(event_id)):
            return gettext("%(seen)s 已按保留期限清理") % {"seen": seen}, ""
        return seen, (
            gettext("锚点记录的事件 #%(event_id)s 已不存在（链尾被截断或事件被删除）")
            % {"event_id": event_id}
        )
    if event.hash != expected:
        return seen, (
            gettext("事件 #%(event_id)s 的哈希与锚点不符（链被改写）") % {"event_id": event_id}
        )
    return gettext("%(seen)s 一致") % {"seen": seen}, ""
