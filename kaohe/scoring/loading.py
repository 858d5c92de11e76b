"""Turn a scheme's rows into the engine's plain data, in a fixed number of queries."""

from collections import defaultdict
from decimal import Decimal
from typing import NamedTuple

from django.db.models import CharField
from django.db.models.functions import Cast

from kaohe.schemes.models import Indicator, Scheme, ScoreEntry, Subject

from . import engine


def scorable_leaves(scheme: Scheme):
    """The scheme's leaves that can carry a value (Indicator.objects.scorable)."""
    return Indicator.objects.filter(scheme=scheme).scorable()


engine_leaf = engine.leaf_from_indicator
# What engine.leaf_from_indicator reads.
LEAF_COLUMNS = ("component_id", "component__code", "method", "max_score", "veto_grade", "code")


class _Component(NamedTuple):
    code: str


class _LeafRow(NamedTuple):
    """An indicator row as engine.leaf_from_indicator reads it, from plain values (two model
    instances per leaf with select_related cost more than the rest of loading them)."""

    pk: int
    component_id: int | None
    component: _Component
    method: str
    max_score: Decimal | None
    veto_grade: str
    code: str


def load_leaves(scheme: Scheme) -> list[engine.Leaf]:
    """The scheme's leaves in the engine's order, with the unit categories each applies to
    (read as plain values: no model instance per leaf or category)."""
    rows = (
        scorable_leaves(scheme)
        .order_by("component__order", "code")
        .values_list("pk", *LEAF_COLUMNS)
    )
    applies: dict[int, set] = defaultdict(set)
    links = Indicator.applies_to.through.objects.filter(indicator__scheme=scheme)
    for indicator_id, category_id in links.values_list("indicator_id", "unitcategory_id"):
        applies[indicator_id].add(category_id)
    return [
        engine_leaf(
            _LeafRow(pk, component_id, _Component(code), method, top, veto, leaf_code),
            frozenset(applies.get(pk, ())),
        )
        for pk, component_id, code, method, top, veto, leaf_code in rows
    ]


def load_rules(scheme: Scheme) -> engine.Rules:
    grades: dict[object, list[engine.GradeRule]] = defaultdict(list)
    levels = scheme.grade_levels.order_by("grading_category_id", "order", "-min_total")
    for category_id, name, minimum, quota in levels.values_list(
        "grading_category_id", "name", "min_total", "quota_percent"
    ):
        grades[category_id].append(engine.GradeRule(name, minimum, quota))
    components = scheme.components.order_by("order", "id").values_list("code", "weight")
    return engine.Rules(
        weights=dict(components),
        bonus_cap=scheme.bonus_cap,
        penalty_cap=scheme.penalty_cap,
        tie_break=tuple(scheme.tie_break_codes),
        grades=dict(grades),
    )


def load_subjects(
    scheme: Scheme, subject_ids=None, *, with_values: bool = True
) -> list[engine.SubjectInput]:
    """The engine's subjects in id order; `with_values=False` leaves out their scores (summed
    in SQL). Id order: ranking does not depend on it, and the model's default ordering would
    join grading categories and sort."""
    subjects = Subject.objects.filter(scheme=scheme).order_by("pk")
    entries = ScoreEntry.objects.filter(subject__scheme=scheme)
    if subject_ids is not None:
        subjects = subjects.filter(pk__in=subject_ids)
        entries = entries.filter(subject_id__in=subject_ids)
    values: dict[int, dict[int, Decimal]] = defaultdict(dict)
    if not with_values:
        entries = entries.none()
    # Read values as text and make each Decimal once: Django's per-row decimal converter is the
    # slowest part of loading 300,000 scores. Exact: values have two decimals and at most eight
    # digits, which both SQLite's 15-digit text form and PostgreSQL's numeric text keep whole.
    # order_by(): the model's default ordering would join indicators and sort every row.
    rows = entries.order_by().values_list(
        "subject_id", "indicator_id", Cast("value", output_field=CharField())
    )
    for subject_id, indicator_id, text in rows.iterator(chunk_size=20000):
        values[subject_id][indicator_id] = Decimal(text)
    return [
        engine.SubjectInput(
            id=pk,
            unit_category=unit_category_id,
            grading_category=grading_category_id,
            values=values.get(pk, {}),
        )
        for pk, unit_category_id, grading_category_id in subjects.values_list(
            "pk", "unit_category_id", "grading_category_id"
        )
    ]
