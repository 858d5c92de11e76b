"""Test factories for rectification items (the office types a problem for a unit)."""

from datetime import timedelta

from django.utils import timezone

from .services import items_create


def make_item(scheme, subject, *, office, title: str = "重大决策程序不规范", days: int = 30):
    deadline = timezone.localdate() + timedelta(days=days)
    return items_create(
        scheme=scheme, subjects=[subject], title=title, deadline=deadline, actor=office
    )[0]
