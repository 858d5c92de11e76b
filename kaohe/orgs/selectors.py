"""Reads of the unit tree."""

from .models import Unit


def unit_subtree(unit: Unit, *, include_self: bool = True):
    qs = Unit.objects.filter(path__startswith=unit.path)
    return qs if include_self else qs.exclude(pk=unit.pk)
