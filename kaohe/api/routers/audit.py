"""The audit log for the audit admin (三员: read and export only), as on the audit pages."""

from django.core.exceptions import PermissionDenied
from ninja import Field, Query, Router, Schema

from kaohe.accounts.access import can_read_audit
from kaohe.api import audit_actions
from kaohe.audit.selectors import EventFilter, audit_events, event_row
from kaohe.audit.services import audit_record

from ..schemas import AuditEventPage, Text
from ..schemas import Error as ErrorOut
from .common import READ_ERRORS, Paging, page

router = Router(tags=["审计日志"])


class AuditFilter(Schema):
    action: Text = Field("", max_length=100)
    actor: Text = Field("", max_length=100)
    ip: Text = Field("", max_length=100)
    q: Text = Field("", max_length=100)
    date_from: Text = Field("", max_length=10)
    date_to: Text = Field("", max_length=10)


@router.get(
    "/audit/events",
    response={200: AuditEventPage, 403: ErrorOut, **READ_ERRORS},
    summary="审计日志（仅审计管理员；导出记入审计）",
)
def audit_list(request, paging: Query[Paging], flt: Query[AuditFilter]):
    if not can_read_audit(request.user):
        raise PermissionDenied("只有审计管理员可以查看审计日志。")
    selected = EventFilter(
        **{k: str(v).strip()[:100] for k, v in flt.dict().items()},
    )
    events = audit_events(request.user, selected)
    result = page(events, paging, event_row)
    audit_record(
        action=audit_actions.AUDIT_EXPORT,
        actor=request.user,
        after={"format": "api", "offset": paging.offset, **selected.as_query()},
    )
    return result
