"""The bell: every page shows the signed-in user's unread count."""

from .selectors import unread_count


def bell(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"nav_unread": unread_count(user)}
