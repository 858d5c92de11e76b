"""Who is responsible for each indicator: named units, members of named groups, and every
enrolled subject of the categories a group phrase names (各县市区人民政府 → every county).
"""

from collections import defaultdict


def responsible_pairs(scheme) -> list[tuple[int, int]]:
    """Sorted (indicator_id, unit_id) pairs; a category phrase respects the indicator's 适用类别."""
    from kaohe.orgs.models import UnitGroup
    from kaohe.schemes.models import Indicator, Subject

    through = Indicator.responsible_units.through
    pairs = set(
        through.objects.filter(indicator__scheme=scheme).values_list("indicator_id", "unit_id")
    )
    groups = Indicator.responsible_groups.through.objects.filter(indicator__scheme=scheme)
    members = defaultdict(set)
    for group_id, unit_id in UnitGroup.members.through.objects.filter(
        unitgroup_id__in=groups.values("unitgroup_id")
    ).values_list("unitgroup_id", "unit_id"):
        members[group_id].add(unit_id)
    for indicator_id, group_id in groups.values_list("indicator_id", "unitgroup_id"):
        pairs.update((indicator_id, unit_id) for unit_id in members[group_id])
    by_category = defaultdict(set)
    for category_id, unit_id in Subject.objects.filter(scheme=scheme).values_list(
        "unit_category_id", "unit_id"
    ):
        by_category[category_id].add(unit_id)
    applies = defaultdict(set)
    for indicator_id, category_id in Indicator.applies_to.through.objects.filter(
        indicator__scheme=scheme
    ).values_list("indicator_id", "unitcategory_id"):
        applies[indicator_id].add(category_id)
    for indicator_id, category_id in Indicator.responsible_categories.through.objects.filter(
        indicator__scheme=scheme
    ).values_list("indicator_id", "unitcategory_id"):
        if applies[indicator_id] and category_id not in applies[indicator_id]:
            continue
        pairs.update((indicator_id, unit_id) for unit_id in by_category[category_id])
    return sorted(pairs)
