"""Test factories for the inbox."""

from .models import Notification
from .services import notify


def make_notification(user, title: str = "新的整改事项", url: str = "") -> Notification:
    notify(users=[user], title=title, url=url)
    return Notification.objects.filter(user=user).latest("pk")
