"""The audit admin's pages: events with filters, chain verification, CSV/JSON export."""

import csv
import json
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext

from kaohe.accounts.access import can_read_audit
from kaohe.audit import audit_actions

from .anchors import anchor_line, anchor_write
from .selectors import EXPORT_FIELDS, EventFilter, action_names, audit_events, event_row
from .services import audit_record, audit_verify


def _require_audit(user):
    if not can_read_audit(user):
        raise PermissionDenied(gettext("只有审计管理员可以查看审计日志。"))


@login_required
def event_list(request):
    _require_audit(request.user)
    flt = EventFilter.from_query(request.GET)
    page = Paginator(audit_events(request.user, flt), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "audit/event_list.html",
        {
            "page": page,
            "flt": flt,
            "actions": action_names(),
            "query": flt.as_query(),
            # The export links carry the filter on screen (urlencoded once, here).
            "query_string": urlencode(flt.as_query()),
        },
    )


@login_required
def verify(request):
    _require_audit(request.user)
    report = audit_verify()
    audit_record(
        action=audit_actions.AUDIT_VERIFY,
        actor=request.user,
        after={"ok": report.ok, "checked": report.checked, "broken_at": report.broken_at},
    )
    anchor = anchor_write(reason="verify-page") if report.ok else {}
    return render(
        request,
        "audit/verify.html",
        {"report": report, "anchor_line": anchor_line(anchor) if anchor else ""},
    )


class _Echo:
    def write(self, value):
        return value


@login_required
def export(request):
    """Filtered events as CSV (default) or JSON lines (`?format=json`) for a SIEM."""
    _require_audit(request.user)
    flt = EventFilter.from_query(request.GET)
    fmt = "json" if request.GET.get("format") == "json" else "csv"
    events = audit_events(request.user, flt).order_by("id")
    audit_record(
        action=audit_actions.AUDIT_EXPORT,
        actor=request.user,
        after={"format": fmt, **flt.as_query()},
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    if fmt == "json":
        lines = (
            json.dumps(event_row(e), ensure_ascii=False) + "\n"
            for e in events.iterator(chunk_size=2000)
        )
        response = StreamingHttpResponse(lines, content_type="application/x-ndjson; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="audit-{stamp}.jsonl"'
        return response
    writer = csv.writer(_Echo())

    def rows():
        yield "\ufeff" + writer.writerow(EXPORT_FIELDS)
        for event in events.iterator(chunk_size=2000):
            row = event_row(event)
            yield writer.writerow([_csv_safe(row[f]) for f in EXPORT_FIELDS])

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="audit-{stamp}.csv"'
    return response


def _csv_safe(value) -> str:
    """No spreadsheet formula injection: a leading = + - @ is quoted with an apostrophe."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text
