"""Test factories for imports: a confirmed alias of a unit name."""

from .services import unit_alias_save


def make_alias(owner_unit, name: str, unit, *, actor=None):
    return unit_alias_save(owner_unit=owner_unit, name=name, unit=unit, actor=actor)
