"""The bell: every page shows the signed-in user's unread count (cached until it changes:
accounts/viewer.py; notifications/services.py replaces the stamp)."""

from kaohe.accounts.viewer import per_viewer

from .selectors import unread_count


def bell(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"nav_unread": per_viewer(user, "bell", lambda: unread_count(user))}
