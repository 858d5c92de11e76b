"""Reading the audit log: filtering for the audit admin's page and the SIEM export."""

from dataclasses import dataclass
from datetime import datetime, time

from django.db.models import Q
from django.utils import timezone
from django.utils.dateparse import parse_date

from .models import AuditEvent

EXPORT_FIELDS = [
    "id",
    "occurred_at",
    "actor_username",
    "ip_address",
    "action",
    "object_type",
    "object_id",
    "object_repr",
    "scheme_id",
    "message",
    "before",
    "after",
    "prev_hash",
    "hash",
]


@dataclass(frozen=True)
class EventFilter:
    """Filter values from the query string; anything unparsable is ignored, never an error."""

    action: str = ""
    actor: str = ""
    ip: str = ""
    q: str = ""
    date_from: str = ""
    date_to: str = ""

    @classmethod
    def from_query(cls, params) -> "EventFilter":
        def get(name):
            value = params.get(name, "")
            return value.strip()[:100] if isinstance(value, str) else ""

        return cls(
            action=get("action"),
            actor=get("actor"),
            ip=get("ip"),
            q=get("q"),
            date_from=get("from"),
            date_to=get("to"),
        )

    def _day(self, value: str, end: bool):
        try:
            day = parse_date(value) if value else None
        except ValueError:
            day = None
        if day is None:
            return None
        return timezone.make_aware(datetime.combine(day, time.max if end else time.min))

    def apply(self, qs):
        if self.action:
            qs = qs.filter(action__startswith=self.action)
        if self.actor:
            qs = qs.filter(actor_username__icontains=self.actor)
        if self.ip:
            qs = qs.filter(ip_address__startswith=self.ip)
        if self.q:
            qs = qs.filter(
                Q(object_repr__icontains=self.q)
                | Q(object_type__icontains=self.q)
                | Q(message__icontains=self.q)
                | Q(object_id=self.q)
            )
        start, end = self._day(self.date_from, False), self._day(self.date_to, True)
        if start:
            qs = qs.filter(occurred_at__gte=start)
        if end:
            qs = qs.filter(occurred_at__lte=end)
        return qs

    def as_query(self) -> dict:
        return {
            k: v
            for k, v in {
                "action": self.action,
                "actor": self.actor,
                "ip": self.ip,
                "q": self.q,
                "from": self.date_from,
                "to": self.date_to,
            }.items()
            if v
        }


def audit_events(user, flt: EventFilter):
    """Events the audit admin may read (all of them), newest first, filtered."""
    from kaohe.accounts.access import can_read_audit

    if not can_read_audit(user):
        return AuditEvent.objects.none()
    return flt.apply(AuditEvent.objects.all()).order_by("-id")


def action_names() -> list[str]:
    return list(AuditEvent.objects.order_by("action").values_list("action", flat=True).distinct())


def event_row(event: AuditEvent) -> dict:
    row = {f: getattr(event, f) for f in EXPORT_FIELDS}
    row["occurred_at"] = event.occurred_at.isoformat()
    return row
