"""Test factories for users and their roles."""

from .services import role_assign, user_create


def make_user(username: str, *, role: str | None = None, unit=None, subtree: bool = False):
    user = user_create(username=username, password="Test-pass-123", unit=unit)  # noqa: S106
    if role:
        role_assign(user=user, role=role, unit=unit, include_subtree=subtree)
    return user
