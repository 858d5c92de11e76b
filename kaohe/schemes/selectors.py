"""Reads of schemes for the office's pages."""

from .models import Indicator, Scheme


def indicator_tree(*, scheme: Scheme) -> list[Indicator]:
    """Indicators in display order (depth-first: component, then code order within parents)."""
    nodes = list(
        Indicator.objects.filter(scheme=scheme)
        .select_related("component")
        .prefetch_related("applies_to", "responsible_units")
        .order_by("component__order", "order", "code")
    )
    children: dict[int | None, list[Indicator]] = {}
    for node in nodes:
        children.setdefault(node.parent_id, []).append(node)
    ordered: list[Indicator] = []

    def walk(parent_id):
        for node in children.get(parent_id, []):
            node.is_leaf = node.pk not in children
            ordered.append(node)
            walk(node.pk)

    walk(None)
    return ordered


def leaf_max_by_category(*, scheme: Scheme) -> list[dict]:
    """Per component and unit category, the applicable maximum (shows where scaling applies)."""
    from kaohe.orgs.models import UnitCategory

    categories = list(
        UnitCategory.objects.filter(
            pk__in=scheme.grading_categories.values("unit_categories")
        ).distinct()
    )
    leaves = [n for n in indicator_tree(scheme=scheme) if n.is_leaf and n.in_component_sum]
    rows = []
    for component in scheme.components.order_by("order"):
        row = {"component": component, "cells": []}
        for category in categories:
            total = sum(
                (leaf.max_score or 0)
                for leaf in leaves
                if leaf.component_id == component.pk
                and (not leaf.applies_to.all() or category in leaf.applies_to.all())
            )
            row["cells"].append((category, total))
        rows.append(row)
    return rows
