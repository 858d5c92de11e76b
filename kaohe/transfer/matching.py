"""Matching names typed in files to units, categories and components of a scheme."""

from dataclasses import dataclass, field

from kaohe.common.sheets.text import header_key
from kaohe.orgs.models import Unit, UnitCategory, UnitGroup
from kaohe.orgs.names import CategoryInfo, category_phrase, suggest_units
from kaohe.orgs.selectors import unit_subtree

from .models import UnitAlias

IGNORED = object()  # an alias that says "this text is not one unit; keep it as text only"


def _key(name: str) -> str:
    return header_key(name)


@dataclass
class Responsible:
    """What one 责任单位 cell names: units, groups, categories; unknown names are kept."""

    units: list = field(default_factory=list)
    groups: list = field(default_factory=list)
    categories: list = field(default_factory=list)
    unknown: list = field(default_factory=list)


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
        self.units = units
        self.groups = list(UnitGroup.objects.filter(owner_unit=owner))
        self.categories = list(UnitCategory.objects.all())

    def group(self, name: str):
        """A named group: the same name, or a longer one ending in it (市…领导小组成员单位)."""
        key = _key(name)
        for group in self.groups:
            gkey = _key(group.name)
            if key == gkey or (len(gkey) >= 4 and key.endswith(gkey)):
                return group
        return None

    def category_ids(self, name: str) -> list[int] | None:
        infos = [CategoryInfo(c.pk, c.code, c.name) for c in self.categories]
        return category_phrase(name, infos)

    def responsible(self, names) -> Responsible:
        """Each name as a unit, a group, the subjects of categories, ignored or unknown."""
        found = Responsible()
        for name in names:
            unit = self.resolve(name)
            if unit is not None and unit is not IGNORED:
                if unit not in found.units:
                    found.units.append(unit)
                continue
            group = self.group(name)
            ids = None if group else self.category_ids(name)
            if group is not None:
                found.groups.append(group)
            elif ids:
                found.categories += [c for c in self.categories if c.pk in ids]
            elif unit is None:
                found.unknown.append(name)
        return found

    def suggestions(self, name: str, limit: int = 3) -> list[tuple[int, str, float]]:
        """Units the name probably means (abbreviation rules and similarity), best first."""
        return suggest_units(name, [(u.pk, u.name) for u in self.units], limit=limit)

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
