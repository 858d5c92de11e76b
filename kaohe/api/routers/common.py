"""Helpers shared by the routers: pagination, decimals as text, the error responses."""

from decimal import Decimal

from ninja import Path, Schema
from pydantic import Field

from ..schemas import Error

MAX_LIMIT = 500
READ_ERRORS = {401: Error, 404: Error, 422: Error, 429: Error}
WRITE_ERRORS = {400: Error, 401: Error, 403: Error, 404: Error, 409: Error, 422: Error, 429: Error}


class Paging(Schema):
    limit: int = Field(50, ge=1, le=MAX_LIMIT, description="每页条数（1–500）")
    offset: int = Field(0, ge=0, le=10**9, description="跳过的条数")


def page(items, paging: Paging, convert) -> dict:
    """One page of a queryset or list, with the total count."""
    total = len(items) if isinstance(items, list) else items.count()
    chunk = items[paging.offset : paging.offset + paging.limit]
    return {
        "count": total,
        "limit": paging.limit,
        "offset": paging.offset,
        "items": [convert(x) for x in chunk],
    }


def dec(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def id_param(description: str):
    """An optional id filter (query string), bounded so a fuzzer's huge ints are a 422."""
    return Field(None, ge=1, le=MAX_ID, description=description)


MAX_ID = 2**62


def pk():
    """A path id, bounded so an absurd number is a 422 rather than a database overflow."""
    return Path(..., ge=1, le=MAX_ID)


def page_together(items, paging: Paging, convert_all) -> dict:
    """As `page`, when the rows of a page are computed together (grouped counts for the page's
    objects in a few queries, not a few per object)."""
    total = len(items) if isinstance(items, list) else items.count()
    chunk = list(items[paging.offset : paging.offset + paging.limit])
    return {
        "count": total,
        "limit": paging.limit,
        "offset": paging.offset,
        "items": convert_all(chunk),
    }
