"""The bell: every page shows the signed-in user's unread count (cached until it changes:
accounts/viewer.py; notifications/services.py replaces the stamp)."""

from django.utils.functional import SimpleLazyObject

from kaohe.accounts.viewer import per_viewer

from .selectors import unread_count


def bell(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    # Lazy: a page whose navigation comes from the cache (kaohe_viewer) never asks.
    return {
        "nav_unread": SimpleLazyObject(lambda: per_viewer(user, "bell", lambda: unread_count(user)))
    }
