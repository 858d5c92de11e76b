"""Who hears about a task: the unit's users (in-app) and its contacts (email)."""

from django.db.models import Q
from django.urls import reverse

from kaohe.accounts.choices import Role
from kaohe.accounts.models import RoleAssignment
from kaohe.notifications.services import notify


def ancestor_paths(path: str) -> list[str]:
    """'/1/5/' → ['/1/', '/1/5/'] (the unit and every unit above it)."""
    parts = [p for p in path.strip("/").split("/") if p]
    return ["/" + "/".join(parts[: i + 1]) + "/" for i in range(len(parts))]


def unit_users(unit) -> list:
    """Active users holding the unit-user role on this unit (directly or over its subtree)."""
    q = Q(unit=unit) | Q(include_subtree=True, unit__path__in=ancestor_paths(unit.path))
    assignments = RoleAssignment.objects.filter(q, role=Role.UNIT_USER, user__is_active=True)
    return [a.user for a in assignments.select_related("user")]


class RecipientIndex:
    """All unit-user assignments loaded once, so thousands of tasks cost one query."""

    def __init__(self):
        self.direct: dict[int, list] = {}
        self.subtree: list[tuple[str, object]] = []
        assignments = RoleAssignment.objects.filter(
            role=Role.UNIT_USER, user__is_active=True
        ).select_related("user", "unit")
        for a in assignments:
            self.direct.setdefault(a.unit_id, []).append(a.user)
            if a.include_subtree:
                self.subtree.append((a.unit.path, a.user))

    def users(self, unit) -> list:
        found = {u.pk: u for u in self.direct.get(unit.pk, [])}
        for path, user in self.subtree:
            if unit.path.startswith(path):
                found.setdefault(user.pk, user)
        return list(found.values())

    def emails(self, unit) -> list[str]:
        addresses = [u.email for u in self.users(unit) if u.email]
        if unit.contact_email:
            addresses.append(unit.contact_email)
        return sorted(set(addresses))


def notify_unit(*, task, title: str, body: str = "", users=None) -> int:
    """In-app notifications for everyone working on the task's unit, linking to the task."""
    users = unit_users(task.unit) if users is None else users
    return notify(users=users, title=title, body=body, url=reverse("tasks:detail", args=[task.pk]))
