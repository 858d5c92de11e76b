"""Every permission decision in one place (DESIGN.md convention 3).

Roles sit on units; an assignment with include_subtree covers every unit whose
path starts with the assigned unit's path. `access_<thing>(user, pk)` raises the
same Http404 for "missing" and "not yours", so ids cannot be probed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q
from django.http import Http404

from kaohe.accounts import audit_actions

from .choices import TEAM_ROLES, Role


@dataclass(frozen=True)
class Grant:
    role: str
    unit_id: int
    unit_path: str
    include_subtree: bool

    def covers(self, unit) -> bool:
        if unit is None:
            return False
        if unit.pk == self.unit_id:
            return True
        # An empty path would prefix-match every unit: never treat it as a subtree.
        return (
            self.include_subtree and bool(self.unit_path) and unit.path.startswith(self.unit_path)
        )


def grants(user) -> list[Grant]:
    """The user's role assignments: once per request, and cached across requests until they
    change (accounts/viewer.py: keyed on the user's view stamp)."""
    if not getattr(user, "is_authenticated", False):
        return []
    from .viewer import per_viewer

    return per_viewer(
        user,
        "grants",
        lambda: [
            Grant(a.role, a.unit_id, a.unit.path, a.include_subtree)
            for a in user.role_assignments.select_related("unit")
        ],
    )


def forget_grants(user) -> None:
    """Drop what was computed for this user object after roles change."""
    from .viewer import viewer_forget

    viewer_forget(user)


def superuser_powers(user) -> bool:
    """A superuser passes checks only where superusers are allowed at all (demo, development,
    tests: KAOHE_SUPERUSERS_ALLOWED); in production a superuser is refused at sign-in and
    counts for nothing here, so 三员 separation cannot be bypassed with one."""
    from django.conf import settings

    return (
        bool(getattr(user, "is_superuser", False))
        and bool(getattr(user, "is_active", False))
        and getattr(settings, "KAOHE_SUPERUSERS_ALLOWED", False)
    )


def has_role_on(user, roles: Iterable[str] | str, unit) -> bool:
    roles = {roles} if isinstance(roles, str) else set(roles)
    if superuser_powers(user):
        return True
    return any(g.role in roles and g.covers(unit) for g in grants(user))


def has_role_anywhere(user, roles: Iterable[str] | str) -> bool:
    roles = {roles} if isinstance(roles, str) else set(roles)
    return any(g.role in roles for g in grants(user))


def unit_q(user, roles: Iterable[str] | str, prefix: str = "") -> Q:
    """A Q on Unit (or on a relation via `prefix`, e.g. 'unit__') covering the user's units."""
    roles = {roles} if isinstance(roles, str) else set(roles)
    q = Q(pk__in=[])
    for g in grants(user):
        if g.role not in roles:
            continue
        q |= Q(**{f"{prefix}pk": g.unit_id})
        if g.include_subtree and g.unit_path:
            q |= Q(**{f"{prefix}path__startswith": g.unit_path})
    return q


def is_unit_user_of(user, unit) -> bool:
    """A user of the unit itself (or of a unit above it with a subtree assignment)."""
    return has_role_on(user, Role.UNIT_USER, unit)


def is_office_of(user, unit) -> bool:
    """An office admin whose assignment covers the unit."""
    return has_role_on(user, Role.OFFICE_ADMIN, unit)


def is_team_of(user, unit) -> bool:
    """A team leader or member assigned on the unit (a scheme's owner unit)."""
    return has_role_on(user, TEAM_ROLES, unit)


def is_office_anywhere(user) -> bool:
    return superuser_powers(user) or has_role_anywhere(user, Role.OFFICE_ADMIN)


def team_subject_q(user, prefix: str = "") -> Q:
    """Subjects visited by a team the user leads or belongs to (on-site assignments)."""
    if not getattr(user, "is_authenticated", False):
        return Q(pk__in=[])
    return Q(**{f"{prefix}visit__team__leader": user}) | Q(
        **{f"{prefix}visit__team__members": user}
    )


# --- 三员: system, security and audit administration -----------------------------------
# Separation of duties: the system admin manages accounts (create, disable, reset passwords)
# within the units of their assignment; the security admin assigns and revokes roles — the
# 三员 roles included — and looks after the sign-in policy; the audit admin only reads,
# exports and verifies the audit log. The system admin cannot give anyone a role, nor disable
# or reset a 三员 account; every refused attempt is audited (services.py).

ADMIN_ROLES = (Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN)


def record_denial(user, what: str, pk) -> None:
    """Record an access denial (an existing object the user may not see) in the audit chain."""
    from kaohe.audit.context import current_context
    from kaohe.audit.services import audit_record

    current_context().denials.append(what)
    audit_record(
        action=audit_actions.ACCESS_DENIED,
        actor=user,
        message=f"{what} #{pk}",
        after={"object": what, "id": str(pk)[:64]},
    )


def can_manage_users(user) -> bool:
    """The system admin: accounts (not roles)."""
    return has_role_anywhere(user, Role.SYSTEM_ADMIN) or superuser_powers(user)


def can_manage_security(user) -> bool:
    return has_role_anywhere(user, Role.SECURITY_ADMIN) or superuser_powers(user)


def can_assign_roles(user) -> bool:
    """The security admin alone assigns and revokes roles (三员 roles included)."""
    return can_manage_security(user)


def can_read_audit(user) -> bool:
    return has_role_anywhere(user, Role.AUDIT_ADMIN) or superuser_powers(user)


def is_admin_account(target) -> bool:
    """The account holds one of the 三员 roles."""
    return target.role_assignments.filter(role__in=ADMIN_ROLES).exists()


def manageable_units(user):
    """Units a system admin may place users on."""
    from kaohe.orgs.models import Unit

    if superuser_powers(user):
        return Unit.objects.all()
    return Unit.objects.filter(unit_q(user, Role.SYSTEM_ADMIN))


def role_units(user):
    """Units a security admin may assign roles on."""
    from kaohe.orgs.models import Unit

    if superuser_powers(user):
        return Unit.objects.all()
    return Unit.objects.filter(unit_q(user, Role.SECURITY_ADMIN))


def manageable_users(user):
    """Users working in the system admin's units (a user without unit: superuser only)."""
    from .models import User

    if superuser_powers(user):
        return User.objects.all()
    return User.objects.filter(unit_q(user, Role.SYSTEM_ADMIN, prefix="unit__"))


def security_users(user):
    """Users whose roles and sign-in (lockout, second factor) the security admin looks after."""
    from .models import User

    if superuser_powers(user):
        return User.objects.all()
    return User.objects.filter(unit_q(user, Role.SECURITY_ADMIN, prefix="unit__"))


def admin_users(user):
    """Users on the user pages: the system admin's accounts and the security admin's."""
    from .models import User

    q = Q(pk__in=[])
    if can_manage_users(user):
        q |= Q(pk__in=manageable_users(user).values("pk"))
    if can_assign_roles(user):
        q |= Q(pk__in=security_users(user).values("pk"))
    return User.objects.filter(q)


def access_managed_user(user, pk):
    """A user on the admin's user pages; 404 otherwise (an admin never manages themself)."""
    from .models import User

    target = admin_users(user).filter(pk=pk).exclude(pk=user.pk).first()
    if target is None:
        if User.objects.filter(pk=pk).exists():
            record_denial(user, "user", pk)
        raise Http404("用户不存在")
    return target
