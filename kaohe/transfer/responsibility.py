"""The 责任单位 of a scheme's indicators, understood: units, groups, category phrases, unknowns.

`responsibility_report` shows the office every name in the indicators' 责任单位（原文） and what
it became, with a suggested unit for each unknown one; `responsibility_resolve` links what the
names mean to the indicators (adding, never removing) so that task generation covers every
member. Nothing is dropped silently: an unknown name stays in the report until it is mapped.
"""

from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from kaohe.audit.services import audit_record
from kaohe.common.sheets.text import split_names
from kaohe.schemes.models import Indicator, Subject
from kaohe.transfer import audit_actions

from .matching import UnitResolver


@dataclass
class NameRow:
    name: str
    kind: str  # unit | group | category | ignored | unknown
    meaning: str = ""
    members: int = 0
    codes: list = field(default_factory=list)
    suggest: list = field(default_factory=list)


def _indicators(scheme):
    return (
        Indicator.objects.filter(scheme=scheme)
        .exclude(responsible_text="")
        .prefetch_related("applies_to")
        .order_by("component__order", "code")
    )


def responsibility_report(scheme) -> list[NameRow]:
    """One row per distinct name, unknown names first."""
    resolver = UnitResolver(scheme.owner_unit)
    subjects = {}
    for category_id in Subject.objects.filter(scheme=scheme).values_list(
        "unit_category_id", flat=True
    ):
        subjects[category_id] = subjects.get(category_id, 0) + 1
    rows: dict[str, NameRow] = {}
    for indicator in _indicators(scheme):
        for name in split_names(indicator.responsible_text):
            row = rows.get(name) or _describe(resolver, name, subjects)
            rows[name] = row
            if indicator.code not in row.codes:
                row.codes.append(indicator.code)
    order = {"unknown": 0, "category": 1, "group": 2, "unit": 3, "ignored": 4}
    return sorted(rows.values(), key=lambda r: (order[r.kind], r.codes[0], r.name))


def _describe(resolver: UnitResolver, name: str, subjects: dict) -> NameRow:
    found = resolver.responsible([name])
    if found.units:
        return NameRow(name, "unit", found.units[0].name, 1)
    if found.groups:
        group = found.groups[0]
        return NameRow(name, "group", group.name, group.members.count())
    if found.categories:
        labels = _("、").join(c.name for c in found.categories)
        return NameRow(
            name, "category", labels, sum(subjects.get(c.pk, 0) for c in found.categories)
        )
    if found.unknown:
        return NameRow(name, "unknown", suggest=resolver.suggestions(name))
    return NameRow(name, "ignored")


@transaction.atomic
def responsibility_resolve(*, scheme, actor=None) -> dict:
    """Link each indicator to the units, groups and categories its 责任单位 names (adds only)."""
    resolver = UnitResolver(scheme.owner_unit)
    added = {"units": 0, "groups": 0, "categories": 0}
    for indicator in _indicators(scheme).prefetch_related(
        "responsible_units", "responsible_groups", "responsible_categories"
    ):
        found = resolver.responsible(split_names(indicator.responsible_text))
        for attr, items in (
            ("units", found.units),
            ("groups", found.groups),
            ("categories", found.categories),
        ):
            manager = getattr(indicator, f"responsible_{attr}")
            have = {obj.pk for obj in manager.all()}
            new = [obj for obj in items if obj.pk not in have]
            if new:
                manager.add(*new)
                added[attr] += len(new)
    audit_record(
        action=audit_actions.TRANSFER_RESPONSIBILITY_RESOLVE,
        actor=actor,
        obj=scheme,
        scheme_id=scheme.pk,
        after=added,
    )
    return added
