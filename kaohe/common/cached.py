"""Rendered page parts cached under everything they show (the ranking, the trace, the board).

A cached part holds no request: it is rendered with `csrf_token` set to `CSRF_SLOT`, so the
templates' own `{% csrf_token %}` writes the slot, and `with_csrf` puts the request's token in when
the part is served. The navigation bar (accounts/templatetags/kaohe_viewer.py) does the same.

Every key here names the state its value was computed from (a stamp), so a value never goes out
of date under its key: a change makes a new key. That lets each app server keep a copy of the
hot values in its own memory (`KAOHE_LOCAL_CACHE`, a per-process cache in front of Redis) and skip
the round trip to Redis for them; a value that is no longer asked for simply ages out.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache, caches
from django.db.models import Count, Max, Subquery
from django.middleware.csrf import get_token
from django.utils.safestring import SafeString, mark_safe

from .compiled import stamp_row, valid_id

# A unit renamed after a part was cached shows in it at most this late.
PART_CACHE_SECONDS = 300
CSRF_SLOT = "kaohe-csrf-slot"  # noqa: S105 — where the token goes, not a secret


def part_key(kind: str, parts) -> str:
    return f"kaohe:{kind}:" + hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()


# Larger values (a province's ranking table) stay in the shared cache only: the local copies
# are bounded by count, so each must be small for the process's memory to stay bounded.
LOCAL_MAX_CHARS = 256 * 1024


def _local_cache():
    name = getattr(settings, "KAOHE_LOCAL_CACHE", "")
    return caches[name] if name else None


def stamped(key: str, compute, timeout: int, keep=None):
    """The value under a key that names its stamp: this process's copy, else the shared cache's,
    else `compute()` (stored in both, unless `keep(value)` says otherwise)."""
    local = _local_cache()
    value = local.get(key) if local is not None else None
    if value is not None:
        return value
    value = cache.get(key)
    if value is None:
        value = compute()
        if keep is not None and not keep(value):
            return value
        cache.set(key, value, timeout)
    if local is not None and (not isinstance(value, str) or len(value) <= LOCAL_MAX_CHARS):
        local.set(key, value, timeout)
    return value


def stamp_text(row) -> str:
    """A stamp row as a short key part (its values may hold spaces and colons)."""
    return hashlib.sha256("/".join(map(str, row)).encode()).hexdigest()[:24]


def cached_part(key: str, render) -> str:
    return stamped(key, render, PART_CACHE_SECONDS)


def with_csrf(html: str, request=None, token: str | None = None) -> SafeString:
    """The cached part (our own rendered template) with this request's CSRF token."""
    if CSRF_SLOT in html:
        html = html.replace(CSRF_SLOT, token if token is not None else get_token(request))
    return mark_safe(html)  # noqa: S308 — rendered by our templates


def scalar_aggregate(queryset, group: str, aggregate) -> Subquery:
    """A scalar subquery for a cache stamp: `aggregate` over `queryset`, all of whose rows share
    `group` (annotated on the one row the stamp query reads)."""
    return Subquery(queryset.order_by().values(group).annotate(v=aggregate).values("v")[:1])


def latest_and_count(name: str, queryset, group: str, field: str = "updated_at") -> dict:
    """Two stamp annotations naming a set of rows: `<name>_at`, when one of them last changed
    (`field`), and `<name>_n`, how many there are (so a deletion shows too)."""
    return {
        f"{name}_at": scalar_aggregate(queryset, group, Max(field)),
        f"{name}_n": scalar_aggregate(queryset, group, Count("pk")),
    }


ROW_CACHE_SECONDS = 300


def fetch_row(name: str, build, pk: int):
    """`build(pk).first()` — one model instance with the rows its `select_related` joins —
    cached under a digest of that very row as the database returns it now.

    The row is read with the query's own SQL compiled once per process and prepared once per
    connection (`kaohe/common/compiled.py`): a tenth of what the ORM spends building the same
    query, and no model instances. Any change to any column
    of any joined row, however it was written (`save()` or `update()`), gives a new key, so a
    cached instance is never older than the row. An instance is cached only if the row did not
    change while it was being built.
    """
    pk = valid_id(pk)
    if pk is None:
        return None
    row = stamp_row(name, build, pk)
    if not row:
        return None
    key = part_key(f"row:{name}", (pk, *row))
    return stamped(
        key,
        lambda: build(pk).first(),
        ROW_CACHE_SECONDS,
        keep=lambda instance: instance is not None and stamp_row(name, build, pk) == row,
    )
