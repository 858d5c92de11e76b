"""Reading the inbox: always the asking user's own notifications."""

from .models import Notification


def unread_count(user) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def inbox(user):
    """The user's notifications, newest first (the page paginates)."""
    return Notification.objects.filter(user=user)
