"""Template context shared by every page: the navigation the user may see, and the unit
named in the header (cached per viewer: viewer.py)."""

from kaohe.accounts import access

from .viewer import per_viewer


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    unit = user.unit_id
    return {
        "nav_is_office": access.is_office_anywhere(user),
        "nav_unit": per_viewer(user, f"unit:{unit}", lambda: str(user.unit) if unit else ""),
    }
