"""Sign-in events into the audit chain, and the per-user session list.

Successes, failures, lockouts (django-axes) and sign-outs are each one audit event with the
client address."""

import time

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver
from django_cas_ng.signals import cas_user_logout

from kaohe.accounts import audit_actions
from kaohe.audit.context import client_ip
from kaohe.audit.services import audit_record

from .middleware import LAST_SEEN, LOGIN_AT
from .models import RoleAssignment, User, UserSession
from .sso.provision import SSO_VIA


def _ip(request) -> str:
    return client_ip(request) if request is not None else ""


@receiver(user_logged_in)
def on_login(sender, request, user, **kwargs):
    ip = _ip(request)
    backend = getattr(user, "backend", "") or ""
    via = next((v for v in ("ldap", "oidc", "cas") if f".sso.{v}." in backend), "")
    audit_record(
        action=audit_actions.LOGIN_SUCCESS,
        actor=user,
        obj=user,
        ip_address=ip,
        after={"via": via} if via else None,
    )
    session = getattr(request, "session", None)
    if session is None:
        return
    now = time.time()
    if via:
        session[SSO_VIA] = via  # which provider to leave on logout (kaohe.accounts.sso.views)
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
        audit_record(action=audit_actions.LOGOUT, actor=user, obj=user, ip_address=_ip(request))


@receiver(cas_user_logout)
def on_cas_single_logout(sender, user=None, session=None, **kwargs):
    """The CAS server ended the user's CAS session (single logout, SLO): django-cas-ng has
    deleted the kaohe session signed in with that ticket; list and audit it as a sign-out."""
    if sender != "slo":
        return  # a logout here: user_logged_out records it
    if session is not None and session.session_key:
        UserSession.objects.filter(session_key=session.session_key).delete()
    if getattr(user, "pk", None):
        audit_record(
            action=audit_actions.LOGOUT,
            actor=user,
            obj=user,
            after={"via": "cas", "single_logout": True},
            message="CAS 服务器通知单点退出，本系统的会话已结束",
        )


@receiver(user_login_failed)
def on_login_failed(sender, credentials, request=None, **kwargs):
    username = str(credentials.get("username", ""))[:150]
    user = User.objects.filter(username=username).first() if username else None
    audit_record(
        action=audit_actions.LOGIN_FAILURE,
        obj=user,
        ip_address=_ip(request),
        after={"username": username},
        message="用户名或密码错误" if user else "用户名不存在",
    )


@receiver(user_locked_out)
def on_locked_out(sender, request=None, username=None, ip_address=None, **kwargs):
    audit_record(
        action=audit_actions.LOGIN_LOCKOUT,
        ip_address=ip_address or _ip(request),
        after={"username": username or "", "ip_address": ip_address or ""},
        message="连续登录失败，账号/地址已锁定",
    )


# --- writes to users and roles that bypass services.py ------------------------------------
# Django admin (demo only), `kaohe changepassword`, a shell: each still leaves an audit event.
SENSITIVE = ("username", "password", "is_active", "is_superuser", "is_staff", "unit_id")


def _outside_service() -> bool:
    from .services import in_service

    return not in_service.get()


@receiver(pre_save, sender=User)
def user_before(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw or not _outside_service() or instance.pk is None:
        return
    if update_fields is not None and not set(update_fields) & {*SENSITIVE, "unit"}:
        return  # e.g. last_login on every sign-in
    instance._kaohe_before = User.objects.filter(pk=instance.pk).values(*SENSITIVE).first() or {}


@receiver(post_save, sender=User)
def user_after(sender, instance, created, raw=False, **kwargs):
    if raw or not _outside_service():
        return
    before = getattr(instance, "_kaohe_before", None)
    if created:
        changed = {f: getattr(instance, f) for f in SENSITIVE if f != "password"}
        action = "user.create"
    elif before:
        changed = {
            f: getattr(instance, f) for f in SENSITIVE if before.get(f) != getattr(instance, f)
        }
        action = "user.change"
    else:
        return
    instance._kaohe_before = None
    if not changed:
        return
    if "password" in changed:
        changed["password"] = "（已修改）"  # noqa: S105 - a label, not a password
    audit_record(
        action=action,
        obj=instance,
        after=changed,
        message="未经本系统页面的账号修改（Django admin、命令行等）",
    )


@receiver(post_save, sender=RoleAssignment)
def role_after(sender, instance, created, raw=False, **kwargs):
    if raw or not _outside_service():
        return
    audit_record(
        action=audit_actions.ROLE_ASSIGN,
        obj=instance,
        after={
            "user": instance.user.username,
            "role": instance.role,
            "unit": instance.unit_id,
            "include_subtree": instance.include_subtree,
        },
        message="未经本系统页面的角色分配（Django admin、命令行等）",
    )


@receiver(post_delete, sender=RoleAssignment)
def role_deleted(sender, instance, **kwargs):
    if not _outside_service():
        return
    audit_record(
        action=audit_actions.ROLE_REVOKE,
        obj=instance,
        before={"user_id": instance.user_id, "role": instance.role, "unit": instance.unit_id},
        message="未经本系统页面的角色撤销（Django admin、命令行、删除用户等）",
    )
