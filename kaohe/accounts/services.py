"""Writes to users and role assignments.

Every write records its audit event; writes that bypass these services (Django admin in the
demo, `changepassword`, a shell) are audited by accounts/signals.py instead. 三员: a call with
an `actor` is checked here too (defence in depth behind the views) and a refused attempt is
audited before it is refused; calls without an actor come from the command line.
"""

import contextvars
from contextlib import contextmanager

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext

from kaohe.accounts import audit_actions
from kaohe.audit.context import current_context
from kaohe.audit.services import audit_record

from . import access
from .access import ADMIN_ROLES, forget_grants
from .models import RoleAssignment, User, UserSession

# Set while a service writes users/roles: the signal handlers then leave the audit to it.
in_service: contextvars.ContextVar[bool] = contextvars.ContextVar("kaohe_accounts", default=False)


@contextmanager
def _service():
    token = in_service.set(True)
    try:
        yield
    finally:
        in_service.reset(token)


def refuse(*, actor, action: str, target=None, reason: str) -> None:
    """Record the refused attempt (its own transaction, so it stays) and refuse it. The request's
    403 is then not recorded a second time as a generic `access.denied` (audit middleware)."""
    current_context().denials.append(action)
    with transaction.atomic():
        audit_record(
            action=audit_actions.ACCESS_ADMIN_REFUSED,
            actor=actor,
            obj=target,
            after={"attempted": action},
            message=reason,
        )
    raise PermissionDenied(reason)


def _check_role_admin(actor, target, unit, action: str) -> None:
    if actor is None:
        return  # the command line (kaohe create-admin): the operator
    if not access.can_assign_roles(actor):
        refuse(
            actor=actor,
            action=action,
            target=target,
            reason=gettext("角色分配与撤销只能由安全管理员进行（三员分立）。"),
        )
    if unit is not None and not access.role_units(actor).filter(pk=unit.pk).exists():
        refuse(
            actor=actor,
            action=action,
            target=target,
            reason=gettext("该单位不在您的安全管理范围内。"),
        )


def _check_account_admin(actor, target, action: str) -> None:
    """Accounts: the system admin; a 三员 account only the security admin."""
    if actor is None:
        return
    if access.is_admin_account(target):
        if not access.can_assign_roles(actor) or action == "user.password_reset":
            refuse(
                actor=actor,
                action=action,
                target=target,
                reason=gettext("三员账号不能由系统管理员停用、重置密码或撤销角色（三员分立）。"),
            )
    elif not access.can_manage_users(actor):
        refuse(
            actor=actor, action=action, target=target, reason=gettext("账号只能由系统管理员管理。")
        )


def user_create(
    *,
    username: str,
    password: str | None,
    display_name: str = "",
    unit=None,
    email: str = "",
    actor=None,
    is_superuser: bool = False,
    must_change_password: bool = False,
) -> User:
    """Create an account (the system admin, or `kaohe create-admin`)."""
    if actor is not None and not access.can_manage_users(actor):
        refuse(
            actor=actor,
            action=audit_actions.USER_CREATE,
            reason=gettext("账号只能由系统管理员创建。"),
        )
    with _service():
        return _user_create(
            username=username,
            password=password,
            display_name=display_name,
            unit=unit,
            email=email,
            actor=actor,
            is_superuser=is_superuser,
            must_change_password=must_change_password,
        )


@transaction.atomic
def _user_create(
    *,
    username: str,
    password: str | None,
    display_name: str = "",
    unit=None,
    email: str = "",
    actor=None,
    is_superuser: bool = False,
    must_change_password: bool = False,
) -> User:
    user = User(
        must_change_password=must_change_password,
        username=username,
        display_name=display_name,
        unit=unit,
        email=email,
        is_superuser=is_superuser,
        is_staff=is_superuser,
    )
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    audit_record(
        action=audit_actions.USER_CREATE,
        actor=actor,
        obj=user,
        after={"username": username, "unit": unit.pk if unit else None},
    )
    return user


def role_assign(
    *, user: User, role: str, unit, include_subtree: bool = False, actor=None
) -> RoleAssignment:
    """Grant a role (the security admin only); the 三员 roles never go to the same person."""
    _check_role_admin(actor, user, unit, "role.assign")
    with _service():
        return _role_assign(
            user=user, role=role, unit=unit, include_subtree=include_subtree, actor=actor
        )


@transaction.atomic
def _role_assign(*, user: User, role: str, unit, include_subtree: bool, actor) -> RoleAssignment:
    if role in ADMIN_ROLES:
        others = (
            RoleAssignment.objects.filter(user=user, role__in=ADMIN_ROLES)
            .exclude(role=role)
            .exists()
        )
        if others:
            raise ValidationError(
                gettext(
                    "系统管理员、安全管理员、审计管理员须由不同人员担任（三员分立），该用户已担任其中另一角色。"
                )
            )
    if actor is not None and actor.pk == user.pk:
        raise ValidationError(gettext("不能给自己分配角色。"))
    assignment, created = RoleAssignment.objects.get_or_create(
        user=user, role=role, unit=unit, defaults={"include_subtree": include_subtree}
    )
    if not created and assignment.include_subtree != include_subtree:
        assignment.include_subtree = include_subtree
        assignment.save(update_fields=["include_subtree", "updated_at"])
    forget_grants(user)
    audit_record(
        action=audit_actions.ROLE_ASSIGN,
        actor=actor,
        obj=assignment,
        after={
            "user": user.username,
            "role": role,
            "unit": unit.pk,
            "include_subtree": include_subtree,
        },
    )
    return assignment


def role_revoke(*, assignment: RoleAssignment, actor=None) -> None:
    """Revoke a role (the security admin only)."""
    _check_role_admin(actor, assignment.user, assignment.unit, "role.revoke")
    with _service():
        _role_revoke(assignment=assignment, actor=actor)


@transaction.atomic
def _role_revoke(*, assignment: RoleAssignment, actor) -> None:
    before = {"user": assignment.user.username, "role": assignment.role, "unit": assignment.unit_id}
    audit_record(action=audit_actions.ROLE_REVOKE, actor=actor, obj=assignment, before=before)
    assignment.delete()
    forget_grants(assignment.user)


def user_set_active(*, user: User, active: bool, actor=None) -> User:
    """Disable (or re-enable) an account; a disabled account's sessions end at once."""
    _check_account_admin(actor, user, "user.disable" if not active else "user.enable")
    with _service():
        return _user_set_active(user=user, active=active, actor=actor)


@transaction.atomic
def _user_set_active(*, user: User, active: bool, actor) -> User:
    before = {"is_active": user.is_active}
    user.is_active = active
    user.save(update_fields=["is_active"])
    if not active:
        sessions_end(user=user, actor=actor)
    audit_record(
        action=audit_actions.USER_ENABLE if active else audit_actions.USER_DISABLE,
        actor=actor,
        obj=user,
        before=before,
        after={"is_active": active},
    )
    return user


def user_reset_password(*, user: User, password: str, actor=None) -> User:
    """An administrator sets a temporary password; the user must change it at next login."""
    _check_account_admin(actor, user, "user.password_reset")
    with _service():
        return _user_reset_password(user=user, password=password, actor=actor)


@transaction.atomic
def _user_reset_password(*, user: User, password: str, actor) -> User:
    from django.contrib.auth.password_validation import validate_password

    validate_password(password, user)
    user.set_password(password)
    user.must_change_password = True
    user.save()
    sessions_end(user=user, actor=actor)
    audit_record(action=audit_actions.USER_PASSWORD_RESET, actor=actor, obj=user)
    return user


def password_change(*, user: User, password: str, actor=None) -> User:
    """The user's own change; validated against the policy, clears the forced-change flag."""
    with _service():
        return _password_change(user=user, password=password, actor=actor)


@transaction.atomic
def _password_change(*, user: User, password: str, actor) -> User:
    from django.contrib.auth.password_validation import validate_password

    validate_password(password, user)
    user.set_password(password)
    user.must_change_password = False
    user.save()
    audit_record(action=audit_actions.USER_PASSWORD_CHANGE, actor=actor or user, obj=user)
    return user


def sessions_end(*, user: User, keep: str | None = None, actor=None) -> int:
    """End the user's sessions (all, or all but `keep`); returns how many were ended."""
    from importlib import import_module

    from django.conf import settings

    store = import_module(settings.SESSION_ENGINE).SessionStore
    rows = UserSession.objects.filter(user=user)
    if keep:
        rows = rows.exclude(session_key=keep)
    ended = 0
    for row in list(rows):
        store(session_key=row.session_key).delete()
        row.delete()
        ended += 1
    if ended:
        audit_record(
            action=audit_actions.SESSION_END, actor=actor, obj=user, after={"ended": ended}
        )
    return ended


@transaction.atomic
def session_end(*, session: UserSession, actor=None) -> None:
    """End one session (the user's own, from "my sessions")."""
    from importlib import import_module

    from django.conf import settings

    import_module(settings.SESSION_ENGINE).SessionStore(session_key=session.session_key).delete()
    audit_record(
        action=audit_actions.SESSION_END,
        actor=actor,
        obj=session.user,
        before={"ip_address": session.ip_address, "created_at": session.created_at},
    )
    session.delete()


def user_require_password_change(*, user: User, reason: str) -> None:
    """Force a new password at the next page (e.g. the demo's public password used in production)."""
    if not user.must_change_password:
        User.objects.filter(pk=user.pk).update(must_change_password=True)
        user.must_change_password = True
        audit_record(
            action=audit_actions.USER_PASSWORD_CHANGE_REQUIRED, actor=user, obj=user, message=reason
        )


@transaction.atomic
def otp_enrol(*, user: User, key: str, token: str):
    """Confirm a new TOTP second factor: the key shown on the set-up page (kept in the session,
    never stored before this) and a code from the user's app. Returns the device or None."""
    from django_otp.oath import TOTP
    from django_otp.plugins.otp_totp.models import TOTPDevice

    # Check the code with the pure algorithm: TOTPDevice.verify_token() saves its throttle
    # counter, which would store an unconfirmed device on a wrong code.
    if not (token.isascii() and token.isdigit() and len(token) <= 8):
        return None
    device = TOTPDevice(user=user, name="kaohe", key=key, confirmed=True)
    totp = TOTP(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    if not totp.verify(int(token), tolerance=device.tolerance):
        return None
    TOTPDevice.objects.filter(user=user).delete()
    device.last_t = totp.t()
    device.save()
    audit_record(action=audit_actions.OTP_ENROL, actor=user, obj=user)
    return device


def otp_verified(*, user: User) -> None:
    audit_record(action=audit_actions.OTP_VERIFY, actor=user, obj=user)


@transaction.atomic
def login_unlock(*, username: str = "", ip_address: str = "", actor=None) -> int:
    """The security admin clears lockouts of a username and/or an address; returns how many."""
    from axes.utils import reset

    count = (reset(username=username) if username else 0) + (
        reset(ip=ip_address) if ip_address else 0
    )
    audit_record(
        action=audit_actions.LOGIN_UNLOCK,
        actor=actor,
        after={"username": username, "ip_address": ip_address, "cleared": count},
    )
    return count


@transaction.atomic
def otp_reset(*, user: User, actor=None) -> int:
    """A user lost their phone: remove their second-factor devices so they enrol again."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    removed, _ = TOTPDevice.objects.filter(user=user).delete()
    audit_record(action=audit_actions.OTP_RESET, actor=actor, obj=user, after={"removed": removed})
    return removed
