"""Reads of the unit tree."""

from .models import Unit


def unit_subtree(unit: Unit, *, include_self: bool = True):
    qs = Unit.objects.filter(path__startswith=unit.path)
    return qs if include_self else qs.exclude(pk=unit.pk)


def unit_ancestor_ids(unit: Unit) -> list[int]:
    """Ids from the root down to the unit itself, read from its path (no queries)."""
    return [int(part) for part in unit.path.strip("/").split("/") if part]
