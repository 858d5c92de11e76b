"""Writing a read indicator tree into a scheme, all or nothing.

Up to SERVICE_LIMIT nodes go through the core indicator_create (one audit event each).
Larger files (10,000 rows) are written level by level with bulk_create, validated with the
model's own full_clean, and leave one audit event that summarises the import.
"""

from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kaohe.audit.services import audit_record
from kaohe.common.sheets.problems import ImportFailed
from kaohe.schemes.models import Indicator, Scheme
from kaohe.schemes.services import indicator_create
from kaohe.transfer import audit_actions

from .indicator_tree import Node, Tree

SERVICE_LIMIT = 300
Progress = Callable[[int, int], None]


def _fields(node: Node) -> dict:
    return {
        "order": node.order,
        "max_score": node.max_score,
        "method": node.method,
        "veto_grade": node.veto_grade,
        "content": node.content,
        "requirement": node.requirement,
        "responsible_text": node.responsible_text,
        "materials": node.materials,
        "deadline": node.deadline,
    }


def _messages(node: Node, exc: ValidationError) -> list[str]:
    return [
        _("%(where)s（%(code)s）：%(m)s") % {"where": node.where, "code": node.code, "m": m}
        for m in exc.messages
    ]


@transaction.atomic
def indicators_write(
    *, scheme: Scheme, tree: Tree, actor=None, filename: str = "", progress: Progress | None = None
) -> dict:
    """Create every node of `tree` in `scheme`; returns counts per level."""
    total = len(tree.nodes)
    created: dict[int, Indicator] = {}
    if total <= SERVICE_LIMIT:
        for done, node in enumerate(tree.nodes, start=1):
            try:
                created[id(node)] = indicator_create(
                    scheme=scheme,
                    code=node.code,
                    name=node.name,
                    component=node.component,
                    parent=created.get(id(node.parent)) if node.parent else None,
                    actor=actor,
                    applies_to=node.applies,
                    responsible_units=node.responsible,
                    **_fields(node),
                )
            except ValidationError as exc:
                raise ImportFailed(_messages(node, exc)) from exc
            if progress and done % 50 == 0:
                progress(done, total)
    else:
        _bulk(scheme, tree, created, progress)
    _link_groups(tree, created)
    counts = tree.counts()
    audit_record(
        action=audit_actions.TRANSFER_INDICATORS_IMPORT,
        actor=actor,
        obj=scheme,
        scheme_id=scheme.pk,
        after={
            "file": filename,
            "layout": tree.layout,
            "levels": counts,
            "bulk": total > SERVICE_LIMIT,
        },
        message=f"从文件导入指标 {total} 个",
    )
    Scheme.mark_results_stale(scheme.pk)
    return counts


def _bulk(scheme, tree: Tree, created: dict, progress: Progress | None) -> None:
    total = len(tree.nodes)
    done = 0
    applies_through = Indicator.applies_to.through
    units_through = Indicator.responsible_units.through
    for level in (1, 2, 3):
        nodes = [n for n in tree.nodes if n.level == level]
        objects = []
        for node in nodes:
            obj = Indicator(
                scheme=scheme,
                parent=created.get(id(node.parent)) if node.parent else None,
                component=node.component,
                code=node.code,
                name=node.name,
                level=level,
                **_fields(node),
            )
            try:
                obj.full_clean(
                    exclude=["scheme", "parent", "component"],
                    validate_unique=False,
                    validate_constraints=False,
                )
            except ValidationError as exc:
                raise ImportFailed(_messages(node, exc)) from exc
            objects.append(obj)
        for start in range(0, len(objects), 1000):
            Indicator.objects.bulk_create(objects[start : start + 1000])
            done += len(objects[start : start + 1000])
            if progress:
                progress(done, total)
        for node, obj in zip(nodes, objects, strict=True):
            created[id(node)] = obj
    applies, units = [], []
    for node in tree.nodes:
        pk = created[id(node)].pk
        applies += [applies_through(indicator_id=pk, unitcategory_id=c.pk) for c in node.applies]
        units += [units_through(indicator_id=pk, unit_id=u.pk) for u in node.responsible]
    applies_through.objects.bulk_create(applies, batch_size=2000)
    units_through.objects.bulk_create(units, batch_size=2000)


def _link_groups(tree: Tree, created: dict) -> None:
    """Groups and category phrases named in 责任单位: their members get tasks when generated."""
    groups_through = Indicator.responsible_groups.through
    categories_through = Indicator.responsible_categories.through
    groups, categories = [], []
    for node in tree.nodes:
        pk = created[id(node)].pk
        groups += [groups_through(indicator_id=pk, unitgroup_id=g.pk) for g in node.groups]
        categories += [
            categories_through(indicator_id=pk, unitcategory_id=c.pk) for c in node.categories
        ]
    groups_through.objects.bulk_create(groups, batch_size=2000)
    categories_through.objects.bulk_create(categories, batch_size=2000)
