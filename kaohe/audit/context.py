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
    """Remember the client address of the current request for audit events; log 403s.

    Every 403 (a PermissionDenied from a view, a CSRF failure) becomes an `access.denied`
    event; the access module records its own 404-style denials.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = current.set(RequestContext(ip_address=client_ip(request)))
        try:
            response = self.get_response(request)
            if response.status_code == 403:
                self.record_denial(request)
            return response
        finally:
            current.reset(token)

    @staticmethod
    def record_denial(request) -> None:
        from .services import audit_record

        user = getattr(request, "user", None)
        audit_record(
            action="access.denied",
            actor=user if user is not None and user.is_authenticated else None,
            message=f"403 {request.method} {request.path}"[:500],
            after={"path": request.path[:300], "method": request.method},
        )
