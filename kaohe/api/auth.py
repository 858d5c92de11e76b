"""Who is calling: a personal token (`Authorization: Bearer kh_…`) or the browser session
(with CSRF on writes). Either way `request.user` is the user, and every permission is then
decided by the same selectors as the pages. Writes need a write token (or a session)."""

from dataclasses import replace

from django.conf import settings
from ninja.security import HttpBearer, SessionAuth
from ninja.throttling import SimpleRateThrottle

from kaohe.audit import context as audit_context

from .errors import ApiError
from .models import ApiToken
from .selectors import token_for_secret


class TokenAuth(HttpBearer):
    def authenticate(self, request, token: str):
        found = token_for_secret(token or "")
        if found is None:
            return None
        request.user = found.user
        ctx = audit_context.current_context()
        audit_context.current.set(
            replace(ctx, user_id=found.user_id, via=f"API 令牌：{found.name}")
        )
        return found


class Session(SessionAuth):
    """The signed-in browser session; ninja checks the CSRF token on unsafe methods."""

    def authenticate(self, request, key):
        user = super().authenticate(request, key)
        if user is not None and user.is_active:
            return user
        return None


AUTH = [TokenAuth(), Session(csrf=True)]


def require_write(request) -> None:
    """A read-only token may not write (403); a session may (the pages would let it)."""
    if isinstance(request.auth, ApiToken) and not request.auth.can_write:
        raise ApiError(403, "token_read_only", "只读令牌不能执行写操作，请使用读写（write）令牌。")


class TokenRateThrottle(SimpleRateThrottle):
    """Requests per token (or per session user) per period, counted in Django's cache."""

    scope = "kaohe-api"

    def get_rate(self):
        return getattr(settings, "KAOHE_API_RATE", "600/m")

    def allow_request(self, request) -> bool:
        # Read the rate on each request, so a changed setting applies without a restart.
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request)

    def get_cache_key(self, request):
        auth = getattr(request, "auth", None)
        if isinstance(auth, ApiToken):
            ident = f"token-{auth.pk}"
        elif getattr(request, "user", None) is not None and request.user.is_authenticated:
            ident = f"user-{request.user.pk}"
        else:
            ident = self.get_ident(request)
        return f"throttle_{self.scope}_{ident}"
