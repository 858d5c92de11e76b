"""Sign-in events into the audit chain, and the per-user session list.

Successes, failures, lockouts (django-axes) and sign-outs are each one audit event with the
client address."""

import time

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from kaohe.audit.context import client_ip
from kaohe.audit.services import audit_record

from .middleware import LAST_SEEN, LOGIN_AT
from .models import User, UserSession


def _ip(request) -> str:
    return client_ip(request) if request is not None else ""


@receiver(user_logged_in)
def on_login(sender, request, user, **kwargs):
    ip = _ip(request)
    backend = getattr(user, "backend", "") or ""
    via = next((v for v in ("ldap", "oidc", "cas") if f".sso.{v}." in backend), "")
    audit_record(
        action="login.success",
        actor=user,
        obj=user,
        ip_address=ip,
        after={"via": via} if via else None,
    )
    session = getattr(request, "session", None)
    if session is None:
        return
    now = time.time()
    session[LOGIN_AT] = now
    session[LAST_SEEN] = now
    if not session.session_key:
        session.save()
    UserSession.objects.update_or_create(
        session_key=session.session_key,
        defaults={
            "user": user,
            "ip_address": ip,
            "user_agent": request.META.get("HTTP_USER_AGENT", "")[:255],
        },
    )


@receiver(user_logged_out)
def on_logout(sender, request, user, **kwargs):
    session = getattr(request, "session", None)
    if session is not None and session.session_key:
        UserSession.objects.filter(session_key=session.session_key).delete()
    if user is not None:
        audit_record(action="logout", actor=user, obj=user, ip_address=_ip(request))


@receiver(user_login_failed)
def on_login_failed(sender, credentials, request=None, **kwargs):
    username = str(credentials.get("username", ""))[:150]
    user = User.objects.filter(username=username).first() if username else None
    audit_record(
        action="login.failure",
        obj=user,
        ip_address=_ip(request),
        after={"username": username},
        message="用户名或密码错误" if user else "用户名不存在",
    )


@receiver(user_locked_out)
def on_locked_out(sender, request=None, username=None, ip_address=None, **kwargs):
    audit_record(
        action="login.lockout",
        ip_address=ip_address or _ip(request),
        after={"username": username or "", "ip_address": ip_address or ""},
        message="连续登录失败，账号/地址已锁定",
    )
