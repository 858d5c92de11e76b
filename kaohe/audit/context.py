"""The request's actor and address, available to services without passing them around."""

import contextvars
import ipaddress
from dataclasses import dataclass, field

from kaohe.audit import audit_actions


@dataclass(frozen=True)
class RequestContext:
    ip_address: str = ""
    user_id: int | None = None
    via: str = ""  # e.g. the API token's name: every event of the request records it
    denials: list = field(default_factory=list)  # denials already recorded in this request


current: contextvars.ContextVar[RequestContext | None] = contextvars.ContextVar(
    "kaohe_audit_request", default=None
)


def current_context() -> RequestContext:
    return current.get() or RequestContext()


def client_ip(request) -> str:
    """The client's address: REMOTE_ADDR, or — behind KAOHE_TRUSTED_PROXIES proxies — the
    X-Forwarded-For entry that many hops from the right.

    Each trusted proxy appends the address it received the request from, so the entries on
    the right are written by our proxies and the leftmost ones by whoever sent the request
    (anyone can send "X-Forwarded-For: 1.2.3.4"). Lockout (django-axes), audit events and
    any rate limit all use this one function.
    """
    from django.conf import settings

    remote = request.META.get("REMOTE_ADDR", "")[:64]
    trusted = getattr(settings, "KAOHE_TRUSTED_PROXIES", 0)
    if trusted <= 0:
        return remote
    hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    hops = [h for h in hops if h]
    if len(hops) < trusted:
        return remote  # not (all) through our proxies: the peer is all we know
    candidate = hops[-trusted]
    try:
        return str(ipaddress.ip_address(candidate))[:64]
    except ValueError:
        return remote


def is_anonymous_path(path: str) -> bool:
    """Paths whose requests must leave no address behind (KAOHE_ANONYMOUS_PATHS)."""
    from django.conf import settings

    prefixes = getattr(settings, "KAOHE_ANONYMOUS_PATHS", ("/s/",))
    return any(path.startswith(prefix) for prefix in prefixes)


class AuditContextMiddleware:
    """Remember the client address of the current request for audit events; log 403s.

    Every 403 (a PermissionDenied from a view, a CSRF failure) becomes an `access.denied`
    event, unless the refusal was already recorded with its reason (the 三员 checks); the access
    module records its own 404-style denials.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # Anonymous survey pages (/s/…): the address is never remembered, so no audit event
        # or denial record made during such a request can carry it (docs/surveys.md).
        address = "" if is_anonymous_path(request.path) else client_ip(request)
        token = current.set(RequestContext(ip_address=address))
        try:
            response = self.get_response(request)
            if response.status_code == 403 and not current_context().denials:
                self.record_denial(request)
            elif response.status_code == 404 and not current_context().denials:
                self.record_not_found(request)
            return response
        finally:
            current.reset(token)

    @staticmethod
    def record_not_found(request) -> None:
        """A signed-in user asked for an object that is missing or not theirs (ids probed?)."""
        user = getattr(request, "user", None)
        match = getattr(request, "resolver_match", None)
        if user is None or not user.is_authenticated or match is None or not match.kwargs:
            return
        from .services import audit_record

        audit_record(
            action=audit_actions.ACCESS_NOT_FOUND,
            actor=user,
            message=f"404 {request.method} {request.path}"[:500],
            after={"path": request.path[:300], "view": match.view_name},
        )

    @staticmethod
    def record_denial(request) -> None:
        from .services import audit_record

        user = getattr(request, "user", None)
        audit_record(
            action=audit_actions.ACCESS_DENIED,
            actor=user if user is not None and user.is_authenticated else None,
            message=f"403 {request.method} {request.path}"[:500],
            after={"path": request.path[:300], "method": request.method},
        )
