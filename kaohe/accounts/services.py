"""Writes to users and role assignments."""

from django.db import transaction

from kaohe.audit.services import audit_record

from .access import forget_grants
from .models import RoleAssignment, User


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
) -> User:
    user = User(
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
