"""Rendered page parts cached under everything they show (the ranking, the trace, the board).

A cached part holds no request: where a form's CSRF field goes it holds `CSRF_SLOT`, and
`with_csrf` puts the request's own field in when the part is served.
"""

import hashlib

from django.core.cache import cache
from django.db.models import Subquery
from django.middleware.csrf import get_token
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

# A unit renamed after a part was cached shows in it at most this late.
PART_CACHE_SECONDS = 300
CSRF_SLOT = mark_safe("<!--kaohe:csrf-->")  # noqa: S308 — a constant


def part_key(kind: str, parts) -> str:
    return f"kaohe:{kind}:" + hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()


def cached_part(key: str, render) -> str:
    html = cache.get(key)
    if html is None:
        html = render()
        cache.set(key, html, PART_CACHE_SECONDS)
    return html


def with_csrf(html: str, request) -> SafeString:
    """The cached part (our own rendered template) with this request's CSRF field."""
    if CSRF_SLOT in html:
        field = format_html(
            '<input type="hidden" name="csrfmiddlewaretoken" value="{}">', get_token(request)
        )
        html = html.replace(CSRF_SLOT, field)
    return mark_safe(html)  # noqa: S308 — rendered by our templates


def scalar_aggregate(queryset, group: str, aggregate) -> Subquery:
    """A scalar subquery for a cache stamp: `aggregate` over `queryset`, all of whose rows share
    `group` (annotated on the one row the stamp query reads)."""
    return Subquery(queryset.order_by().values(group).annotate(v=aggregate).values("v")[:1])
