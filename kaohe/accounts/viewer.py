"""What every signed-in page computes about its viewer, cached across requests.

Each page needs the viewer's role assignments (navigation, access checks), the unread count
of the bell and the viewer's unit in the header: three queries on every page. They are cached
under the user's id and `User.view_stamp`, which every change to any of them replaces (role
assigned or revoked, a unit moved or renamed, a notification sent or read). The user row is
read on every request anyway, so a request never looks up an entry made before a change — on
any app server, with a shared cache (Redis) or a per-process one.
"""

from django.db.models import Q

from kaohe.common.cached import stamped

# Entries are found only through the current stamp; this only bounds their memory.
VIEWER_CACHE_SECONDS = 600
_MEMO = "_kaohe_viewer"


def per_viewer(user, name: str, compute):
    """`compute()` for this viewer, once per request and at most once per stamp."""
    memo = user.__dict__.setdefault(_MEMO, {})
    if name in memo:
        return memo[name]
    stamp = getattr(user, "view_stamp", "")
    if stamp:
        value = stamped(f"kaohe:viewer:{name}:{user.pk}:{stamp}", compute, VIEWER_CACHE_SECONDS)
    else:
        value = compute()
    memo[name] = value
    return value


def viewer_forget(user) -> None:
    """After a change in this request: reload the stamp and drop what was computed."""
    from .models import User

    user.__dict__.pop(_MEMO, None)
    if user.pk is not None:
        stamp = User.objects.filter(pk=user.pk).values_list("view_stamp", flat=True).first()
        user.view_stamp = stamp or ""


def viewers_changed(*, user_ids=None, q: Q | None = None) -> int:
    """Replace the stamp of these users (ids, or a Q on User): their next request computes
    afresh. Call it in the transaction that makes the change."""
    from .models import User, new_view_stamp

    if user_ids is not None:
        ids = {i for i in user_ids if i is not None}
        if not ids:
            return 0
        q = Q(pk__in=ids) if q is None else q | Q(pk__in=ids)
    if q is None:
        return 0
    return User.objects.filter(pk__in=User.objects.filter(q).values("pk")).update(
        view_stamp=new_view_stamp()
    )
