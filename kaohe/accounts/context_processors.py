"""Template context shared by every page: the navigation the user may see, and the unit
named in the header (cached per viewer: viewer.py)."""

from django.utils.functional import SimpleLazyObject

from kaohe.accounts import access

from .viewer import per_viewer


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    unit = user.unit_id
    # Lazy: a page whose navigation comes from the cache (kaohe_viewer) never asks.
    return {
        "nav_is_office": SimpleLazyObject(lambda: access.is_office_anywhere(user)),
        "nav_unit": SimpleLazyObject(
            lambda: per_viewer(user, f"unit:{unit}", lambda: str(user.unit) if unit else "")
        ),
    }
