"""Session policy on every request: idle and absolute timeouts, forced password change, 2FA.

Runs after authentication. A timed-out session is logged out (and audited) and sent to the
login page; a user who must change their password or verify a second factor can reach only
those pages (and logout) until they do.
"""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext

from . import audit_actions
from .passwords import must_change_password

LOGIN_AT = "kaohe_login_at"
LAST_SEEN = "kaohe_last_seen"
TOUCH_EVERY = 60  # seconds between writes of the activity time (spares a DB write per request)

EXEMPT_NAMES = {"login", "logout", "password_change", "otp"}


def _with_next(name: str, request) -> str:
    return f"{reverse(name)}?{urlencode({'next': request.get_full_path()})}"


def otp_required_for(user) -> bool:
    """Admin roles must use a second factor when KAOHE_OTP_REQUIRED is on."""
    if not getattr(settings, "KAOHE_OTP_REQUIRED", False):
        return False
    from .access import grants

    wanted = set(getattr(settings, "KAOHE_OTP_ROLES", []))
    if user.is_superuser and "superuser" in wanted:
        return True
    return any(g.role in wanted for g in grants(user))


class SessionPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            response = self.check(request, user)
            if response is not None:
                return response
        return self.get_response(request)

    def _exempt(self, request) -> bool:
        match = getattr(request, "resolver_match", None)
        if match is None:
            from django.urls import Resolver404, resolve

            try:
                match = resolve(request.path_info)
            except Resolver404:
                return False
        return match.view_name in EXEMPT_NAMES

    def check(self, request, user):
        now = time.time()
        session = request.session
        idle = getattr(settings, "KAOHE_SESSION_IDLE_MINUTES", 0) * 60
        absolute = getattr(settings, "KAOHE_SESSION_ABSOLUTE_MINUTES", 0) * 60
        login_at = session.get(LOGIN_AT)
        last_seen = session.get(LAST_SEEN, login_at)
        action = ""
        if absolute and login_at and now - login_at > absolute:
            action = audit_actions.SESSION_TIMEOUT_ABSOLUTE
        elif idle and last_seen and now - last_seen > idle:
            action = audit_actions.SESSION_TIMEOUT_IDLE
        if action:
            from kaohe.audit.services import audit_record

            audit_record(action=action, actor=user, obj=user)
            logout(request)
            messages.info(
                request,
                gettext("长时间未操作，已自动退出，请重新登录。")
                if action == audit_actions.SESSION_TIMEOUT_IDLE
                else gettext("登录时间已达上限，请重新登录。"),
            )
            return redirect(_with_next("login", request))
        if last_seen is None or now - last_seen > TOUCH_EVERY:
            session[LAST_SEEN] = now
            session.setdefault(LOGIN_AT, now)
            from .models import UserSession

            if session.session_key:
                UserSession.objects.filter(session_key=session.session_key).update(
                    last_seen=timezone.now()
                )
        if must_change_password(user):
            target = "password_change"
        elif otp_required_for(user) and not user.is_verified():
            target = "otp"
        else:
            return None
        # Only now resolve the path (a cost on every request otherwise).
        if self._exempt(request) or request.path.startswith("/" + settings.STATIC_URL.lstrip("/")):
            return None
        return redirect(_with_next(target, request))
