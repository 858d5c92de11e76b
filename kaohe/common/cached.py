"""Rendered page parts cached under everything they show (the ranking, the trace, the board).

A cached part holds no request: it is rendered with `csrf_token` set to `CSRF_SLOT`, so the
templates' own `{% csrf_token %}` writes the slot, and `with_csrf` puts the request's token in when
the part is served. The navigation bar (accounts/templatetags/kaohe_viewer.py) does the same.
"""

import hashlib

from django.core.cache import cache
from django.db.models import Subquery
from django.middleware.csrf import get_token
from django.utils.safestring import SafeString, mark_safe

# A unit renamed after a part was cached shows in it at most this late.
PART_CACHE_SECONDS = 300
CSRF_SLOT = "kaohe-csrf-slot"  # noqa: S105 — where the token goes, not a secret


def part_key(kind: str, parts) -> str:
    return f"kaohe:{kind}:" + hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()


def cached_part(key: str, render) -> str:
    html = cache.get(key)
    if html is None:
        html = render()
        cache.set(key, html, PART_CACHE_SECONDS)
    return html


def with_csrf(html: str, request=None, token: str | None = None) -> SafeString:
    """The cached part (our own rendered template) with this request's CSRF token."""
    if CSRF_SLOT in html:
        html = html.replace(CSRF_SLOT, token if token is not None else get_token(request))
    return mark_safe(html)  # noqa: S308 — rendered by our templates


def scalar_aggregate(queryset, group: str, aggregate) -> Subquery:
    """A scalar subquery for a cache stamp: `aggregate` over `queryset`, all of whose rows share
    `group` (annotated on the one row the stamp query reads)."""
    return Subquery(queryset.order_by().values(group).annotate(v=aggregate).values("v")[:1])
