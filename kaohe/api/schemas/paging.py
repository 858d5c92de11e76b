"""The envelope of every list: {count, limit, offset, items}."""

from ninja import Schema


class PageMeta(Schema):
    count: int
    limit: int
    offset: int


def page_of(item: type[Schema]) -> type[Schema]:
    """A page of a list: {count, limit, offset, items}."""
    return type(f"{item.__name__}Page", (PageMeta,), {"__annotations__": {"items": list[item]}})
