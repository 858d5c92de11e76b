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
        self.ambiguous: set[str] = set()
        units = list(unit_subtree(owner))
        for attr in ("name", "short_name"):
            seen: dict[str, Unit] = {}
            for unit in units:
                key = _key(getattr(unit, attr))
                if not key:
                    continue
                if key in seen and seen[key].pk != unit.pk:
                    self.ambiguous.add(key)
                seen.setdefault(key, unit)
            for key, unit in seen.items():
                self.by_name.setdefault(key, unit)
        self.aliases = {
            _key(a.name): (a.unit if a.unit_id else IGNORED)
            for a in UnitAlias.objects.filter(owner_unit=owner).select_related("unit")
        }

    def resolve(self, name: str):
        """The unit, IGNORED, or None when nothing (or more than one unit) matches.

        A name shared by two units (two counties' 司法局) never picks one silently: it is
        reported as unmatched so that the office maps it with an alias.
        """
        key = _key(name)
        if key in self.aliases:
            return self.aliases[key]
        if key in self.ambiguous:
            return None
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
