"""The request's actor and address, available to services without passing them around."""

import contextvars
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestContext:
    ip_address: str = ""
    user_id: int | None = None


EMPTY = RequestContext()
current: contextvars.ContextVar[RequestContext | None] = contextvars.ContextVar(
    "kaohe_audit_request", default=None
)


def current_context() -> RequestContext:
    return current.get() or EMPTY


def client_ip(request) -> str:
    """REMOTE_ADDR, or the first X-Forwarded-For hop when behind our own proxy."""
    from django.conf import settings

    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[0].strip()[:64]
    return request.META.get("REMOTE_ADDR", "")[:64]


class AuditContextMiddleware:
    """Remember the client address of the current request for audit events."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = current.set(RequestContext(ip_address=client_ip(request)))
        try:
            return self.get_response(request)
        finally:
            current.reset(token)
