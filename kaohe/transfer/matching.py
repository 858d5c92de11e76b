"""Matching names typed in files to units, categories and components of a scheme."""

from kaohe.orgs.models import Unit, UnitCategory
from kaohe.orgs.selectors import unit_subtree

from .models import UnitAlias
from .text import header_key

IGNORED = object()  # an alias that says "this text is not one unit; keep it as text only"


def _key(name: str) -> str:
    return header_key(name)


class UnitResolver:
    """Unit names (full or short) under an office's unit, plus that office's aliases."""

    def __init__(self, owner: Unit):
        self.owner = owner
        self.by_name: dict[str, Unit] = {}
        for unit in unit_subtree(owner):
            self.by_name.setdefault(_key(unit.name), unit)
        for unit in unit_subtree(owner):
            if unit.short_name:
                self.by_name.setdefault(_key(unit.short_name), unit)
        self.aliases = {
            _key(a.name): (a.unit if a.unit_id else IGNORED)
            for a in UnitAlias.objects.filter(owner_unit=owner).select_related("unit")
        }

    def resolve(self, name: str):
        """The unit, IGNORED, or None when nothing matches."""
        key = _key(name)
        if key in self.aliases:
            return self.aliases[key]
        return self.by_name.get(key)


def category_lookup() -> dict[str, UnitCategory]:
    found = {}
    for category in UnitCategory.objects.all():
        found[_key(category.name)] = category
        found[_key(category.code)] = category
    return found


def component_lookup(scheme) -> dict:
    found = {}
    for component in scheme.components.all():
        found[_key(component.name)] = component
        found[_key(component.code)] = component
    return found
