"""Turn a scheme's rows into the engine's plain data, in a fixed number of queries.

The queries that only depend on the scheme are compiled once per process and prepared once per
connection (common/compiled.py `fetch_rows`): building and compiling them through the ORM cost
more than running them (a 300-subject recompute spent 3 ms on it)."""

from collections import defaultdict
from decimal import Decimal
from typing import NamedTuple

from django.db.models import CharField
from django.db.models.functions import Cast

from kaohe.common.compiled import fetch_rows
from kaohe.schemes.models import Component, GradeLevel, Indicator, Scheme, ScoreEntry, Subject

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


def _leaf_rows(scheme_id: int):
    return (
        Indicator.objects.filter(scheme_id=scheme_id)
        .scorable()
        .order_by("component__order", "code")
        .values_list("pk", *LEAF_COLUMNS)
    )


def _applies_rows(scheme_id: int):
    links = Indicator.applies_to.through.objects.filter(indicator__scheme_id=scheme_id)
    return links.values_list("indicator_id", "unitcategory_id")


def _grade_rows(scheme_id: int):
    levels = GradeLevel.objects.filter(scheme_id=scheme_id)
    return levels.order_by("grading_category_id", "order", "-min_total").values_list(
        "grading_category_id", "name", "min_total", "quota_percent"
    )


def _component_rows(scheme_id: int):
    components = Component.objects.filter(scheme_id=scheme_id).order_by("order", "id")
    return components.values_list("code", "weight", "pk")


def _subject_rows(scheme_id: int):
    subjects = Subject.objects.filter(scheme_id=scheme_id).order_by("pk")
    return subjects.values_list("pk", "unit_category_id", "grading_category_id")


def load_leaves(scheme: Scheme) -> list[engine.Leaf]:
    """The scheme's leaves in the engine's order, with the unit categories each applies to
    (read as plain values: no model instance per leaf or category)."""
    applies: dict[int, set] = defaultdict(set)
    for indicator_id, category_id in fetch_rows("scoring.applies", _applies_rows, scheme.pk):
        applies[indicator_id].add(category_id)
    return [
        engine_leaf(
            _LeafRow(pk, component_id, _Component(code), method, top, veto, leaf_code),
            frozenset(applies.get(pk, ())),
        )
        for pk, component_id, code, method, top, veto, leaf_code in fetch_rows(
            "scoring.leaves", _leaf_rows, scheme.pk
        )
    ]


def load_components(scheme: Scheme) -> list[tuple]:
    """(code, weight, pk) of the scheme's components in their order: the rules' weights, and
    the ids their stored results are written under (read once by a recompute)."""
    return fetch_rows("scoring.components", _component_rows, scheme.pk)


def load_rules(scheme: Scheme, components=None) -> engine.Rules:
    """`components`: load_components(scheme), when the caller has them."""
    if components is None:
        components = load_components(scheme)
    grades: dict[object, list[engine.GradeRule]] = defaultdict(list)
    for category_id, name, minimum, quota in fetch_rows("scoring.grades", _grade_rows, scheme.pk):
        grades[category_id].append(engine.GradeRule(name, minimum, quota))
    return engine.Rules(
        weights={code: weight for code, weight, _pk in components},
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
    entries = ScoreEntry.objects.filter(subject__scheme=scheme)
    if subject_ids is None:
        subjects = fetch_rows("scoring.subjects", _subject_rows, scheme.pk)
    else:
        subjects = _subject_rows(scheme.pk).filter(pk__in=subject_ids)
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
        for pk, unit_category_id, grading_category_id in subjects
    ]
