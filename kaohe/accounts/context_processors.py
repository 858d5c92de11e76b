"""Template context shared by every page: the navigation the user may see."""

from kaohe.accounts import access


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"nav_is_office": access.is_office_anywhere(user)}
