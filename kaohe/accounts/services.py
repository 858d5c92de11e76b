"""Writes to users and role assignments."""

from django.core.exceptions import ValidationError
from django.db import transaction

from kaohe.audit.services import audit_record

from .access import ADMIN_ROLES, forget_grants
from .models import RoleAssignment, User, UserSession


@transaction.atomic
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
        action="user.create",
        actor=actor,
        obj=user,
        after={"username": username, "unit": unit.pk if unit else None},
    )
    return user


@transaction.atomic
def role_assign(
    *, user: User, role: str, unit, include_subtree: bool = False, actor=None
) -> RoleAssignment:
    """Grant a role; the three admin roles (三员) never go to the same person."""
    if role in ADMIN_ROLES:
        others = (
            RoleAssignment.objects.filter(user=user, role__in=ADMIN_ROLES)
            .exclude(role=role)
            .exists()
        )
        if others:
            raise ValidationError(
                "系统管理员、安全管理员、审计管理员须由不同人员担任（三员分立），该用户已担任其中另一角色。"
            )
    if actor is not None and actor.pk == user.pk:
        raise ValidationError("不能给自己分配角色。")
    assignment, created = RoleAssignment.objects.get_or_create(
        user=user, role=role, unit=unit, defaults={"include_subtree": include_subtree}
    )
    if not created and assignment.include_subtree != include_subtree:
        assignment.include_subtree = include_subtree
        assignment.save(update_fields=["include_subtree", "updated_at"])
    forget_grants(user)
    audit_record(
        action="role.assign",
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


@transaction.atomic
def role_revoke(*, assignment: RoleAssignment, actor=None) -> None:
    before = {"user": assignment.user.username, "role": assignment.role, "unit": assignment.unit_id}
    audit_record(action="role.revoke", actor=actor, obj=assignment, before=before)
    assignment.delete()
    forget_grants(assignment.user)


@transaction.atomic
def user_set_active(*, user: User, active: bool, actor=None) -> User:
    """Disable (or re-enable) an account; a disabled account's sessions end at once."""
    before = {"is_active": user.is_active}
    user.is_active = active
    user.save(update_fields=["is_active"])
    if not active:
        sessions_end(user=user, actor=actor)
    audit_record(
        action="user.enable" if active else "user.disable",
        actor=actor,
        obj=user,
        before=before,
        after={"is_active": active},
    )
    return user


@transaction.atomic
def user_reset_password(*, user: User, password: str, actor=None) -> User:
    """An administrator sets a temporary password; the user must change it at next login."""
    from django.contrib.auth.password_validation import validate_password

    validate_password(password, user)
    user.set_password(password)
    user.must_change_password = True
    user.save()
    sessions_end(user=user, actor=actor)
    audit_record(action="user.password_reset", actor=actor, obj=user)
    return user


@transaction.atomic
def password_change(*, user: User, password: str, actor=None) -> User:
    """The user's own change; validated against the policy, clears the forced-change flag."""
    from django.contrib.auth.password_validation import validate_password

    validate_password(password, user)
    user.set_password(password)
    user.must_change_password = False
    user.save()
    audit_record(action="user.password_change", actor=actor or user, obj=user)
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
        audit_record(action="session.end", actor=actor, obj=user, after={"ended": ended})
    return ended


@transaction.atomic
def session_end(*, session: UserSession, actor=None) -> None:
    """End one session (the user's own, from "my sessions")."""
    from importlib import import_module

    from django.conf import settings

    import_module(settings.SESSION_ENGINE).SessionStore(session_key=session.session_key).delete()
    audit_record(
        action="session.end",
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
        audit_record(action="user.password_change_required", actor=user, obj=user, message=reason)


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
    audit_record(action="otp.enrol", actor=user, obj=user)
    return device


def otp_verified(*, user: User) -> None:
    audit_record(action="otp.verify", actor=user, obj=user)
