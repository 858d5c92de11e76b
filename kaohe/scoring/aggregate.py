"""Results through the database: sum leaf scores in SQL, rank and grade with the pure engine
(store.py then writes only the rows that changed).

One GROUP BY subject returns, per component, the sum and count of entered values and the
deducted part of deduction leaves (capped at each leaf's maximum), and the bonus and penalty
sums — each an aggregate filtered to the leaves of that (component, method), counting only
leaves that apply to the subject's unit category. Grouping by subject alone keeps the query
about as cheap as a plain `SUM … GROUP BY subject_id`. What does not depend on entries
(applicable maxima, how many leaves should have a value) is computed once per unit category
from the leaves.
`engine.combine` turns the sums into a SubjectScore exactly as `engine.score_subject` does
from single values (the property tests hold the two paths equal); `engine.place_scores`
ranks and grades.
"""

import functools
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import localcontext

from django.db import connection
from django.db.models import Case, Count, DecimalField, F, Lookup, Q, Sum, Value, When
from django.db.models.functions import Least

from kaohe.schemes.models import Scheme, ScoreEntry

from . import engine

SUM_FIELD = DecimalField(max_digits=20, decimal_places=2)
VALUE_METHODS = engine.COMPONENT_METHODS - {engine.DEDUCTION}


@dataclass
class Shape:
    """What the applicable leaves of one unit category add up to, by component code."""

    maximum: dict = field(default_factory=lambda: defaultdict(lambda: engine.ZERO))
    deduction_max: dict = field(default_factory=lambda: defaultdict(lambda: engine.ZERO))
    expected: int = 0


def _shape(leaves, unit_category) -> Shape:
    shape = Shape()
    for leaf in leaves:
        if leaf.method not in engine.COMPONENT_METHODS or not leaf.applies(unit_category):
            continue
        shape.maximum[leaf.component] += leaf.max_score
        if leaf.method == engine.DEDUCTION:
            shape.deduction_max[leaf.component] += leaf.max_score
        else:
            shape.expected += 1
    return shape


def _ids(ids) -> Q:
    """indicator_id in `ids`, written as ranges where ids run on (cheaper than a long IN)."""
    condition = Q(pk__in=[])
    runs: list[list[int]] = []
    for pk in sorted(ids):
        if runs and pk == runs[-1][1] + 1:
            runs[-1][1] = pk
        else:
            runs.append([pk, pk])
    singles = [lo for lo, hi in runs if lo == hi]
    if singles:
        condition |= Q(indicator_id__in=singles)
    for lo, hi in runs:
        if lo != hi:
            condition |= Q(indicator_id__gte=lo, indicator_id__lte=hi)
    return condition


def _applies(group) -> Q:
    """Rows on these leaves whose subject the leaf applies to."""
    condition = _ids([leaf.id for leaf in group if not leaf.applies_to])
    by_set = defaultdict(list)
    for leaf in group:
        if leaf.applies_to:
            by_set[leaf.applies_to].append(leaf.id)
    for categories, ids in by_set.items():
        condition |= _ids(ids) & Q(subject__unit_category_id__in=list(categories))
    return condition


def _columns(leaves) -> tuple[dict, list]:
    """The aggregate columns and what each means: (kind, component code).

    Each column sums only its own rows (`FILTER (WHERE …)`, or a CASE without ELSE for
    deductions): a row adds to one column, not a zero to every other one. A column with no
    row of its kind is NULL, read as zero."""
    groups = defaultdict(list)
    for leaf in leaves:
        if leaf.method in VALUE_METHODS:
            groups[("value", leaf.component)].append(leaf)
        elif leaf.method == engine.DEDUCTION:
            groups[("deducted", leaf.component)].append(leaf)
        elif leaf.method in (engine.BONUS, engine.PENALTY):
            groups[(leaf.method, "")].append(leaf)
    columns, layout = {}, []
    for (kind, code), group in groups.items():
        name = f"c{len(layout)}"
        if kind == "deducted":
            by_max = defaultdict(list)
            for leaf in group:
                by_max[leaf.max_score].append(leaf)
            whens = [
                When(_applies(same), then=Least(F("value"), Value(top, output_field=SUM_FIELD)))
                for top, same in by_max.items()
            ]
            columns[name] = Sum(Case(*whens, output_field=SUM_FIELD))
        else:
            columns[name] = Sum("value", filter=_applies(group), output_field=SUM_FIELD)
        layout.append((kind, code))
    # How many applicable value leaves have an entry (the rest are "missing").
    valued = [leaf for (kind, _code), group in groups.items() if kind == "value" for leaf in group]
    if valued:
        columns["entered"] = Count("pk", filter=_applies(valued))
        layout.append(("count", ""))
    return columns, layout


class AnyOf(Lookup):
    """`column = ANY(%s)` with the values as one array parameter (PostgreSQL): not thousands
    of literals for the server to parse, as `__in` would send."""

    lookup_name = "any_of"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        lhs, params = self.process_lhs(compiler, connection)
        return f"{lhs} = ANY(%s)", [*params, self.rhs]


# Up to this many subjects the entries are found by the subject ids already loaded: the
# planner then estimates the groups right and reads the entries through their subject index
# (300 subjects: 5.9 ms against 8.4 for the join, 3,000: 60 against 65). Beyond it the join
# runs in parallel and an id list cannot (30,000: 490 ms against 575). PostgreSQL only.
SUBJECT_IDS_UP_TO = 10_000


def _grouped(entries, columns):
    return (
        entries.order_by()
        .values("subject_id")
        .annotate(**columns)
        .values_list("subject_id", *columns)
    )


@functools.lru_cache(maxsize=64)
def _by_ids_sql(leaves: tuple) -> tuple[str, tuple, int]:
    """The aggregate by subject ids as SQL, compiled once per set of leaves (for a few hundred
    subjects compiling it took a quarter as long as running it): (sql, params, the index of
    the ids among the params)."""
    columns, _layout = _columns(leaves)
    marker: list = []
    rows = _grouped(ScoreEntry.objects.filter(AnyOf(F("subject_id"), marker)), columns)
    sql, params = rows.query.sql_with_params()
    slot = next(i for i, param in enumerate(params) if param is marker)
    return sql, tuple(params), slot


def load_sums(scheme: Scheme, leaves, subject_ids=None) -> tuple[dict, list]:
    """One GROUP BY subject over every score: {subject id: (sums...)} and the layout.
    `subject_ids`: the scheme's subjects, when the caller has them (see SUBJECT_IDS_UP_TO)."""
    columns, layout = _columns(leaves)
    if not columns:
        return {}, layout
    by_scheme = ScoreEntry.objects.filter(subject__scheme=scheme)
    if connection.vendor != "postgresql":  # Django's converters needed: floats, text
        return {row[0]: row[1:] for row in _grouped(by_scheme, columns)}, layout
    if subject_ids is not None and len(subject_ids) <= SUBJECT_IDS_UP_TO:
        sql, params, slot = _by_ids_sql(tuple(leaves))
        params = [*params[:slot], list(subject_ids), *params[slot + 1 :]]
    else:
        sql, params = _grouped(by_scheme, columns).query.sql_with_params()
    # Run straight: the driver already returns Decimal and int, and Django's per-value
    # converters (Decimal(Decimal)) would only cost time.
    with connection.cursor() as cursor:
        if connection.in_atomic_block:
            # At 30,000 subjects the query's cost passes jit_above_cost, and compiling
            # it takes longer (70 ms) than it saves: off for this transaction only.
            cursor.execute("SET LOCAL jit = off")
        cursor.execute(sql, params)
        return {row[0]: row[1:] for row in cursor.fetchall()}, layout


def load_vetoes(scheme: Scheme, leaves) -> dict[int, list]:
    """Triggered vetoes on leaves that apply, in the engine's leaf order (rare rows)."""
    vetoes = [leaf for leaf in leaves if leaf.method == engine.VETO]
    found = defaultdict(list)
    if not vetoes:
        return found
    grades = {leaf.id: leaf.veto_grade for leaf in vetoes}
    order = {leaf.id: i for i, leaf in enumerate(leaves)}
    rows = (
        ScoreEntry.objects.filter(subject__scheme=scheme, value__gt=0)
        .filter(_applies(vetoes))
        .order_by()
        .values_list("subject_id", "indicator_id")
    )
    for subject_id, leaf_id in sorted(rows, key=lambda row: order[row[1]]):
        found[subject_id].append((leaf_id, grades[leaf_id]))
    return found


def score_from_sums(rules, subject, row, layout, shape: Shape, vetoes):
    """The engine's SubjectScore and the number of leaves still without a value."""
    raw = dict(shape.deduction_max)
    bonus = penalty = engine.ZERO
    entered = 0
    for (kind, code), value in zip(layout, row or (), strict=False):
        if value is None:  # no row of that kind: adds nothing
            continue
        if kind == "value":
            raw[code] = raw.get(code, engine.ZERO) + value
        elif kind == "count":
            entered += value
        elif kind == "deducted":
            raw[code] = raw.get(code, engine.ZERO) - value
        elif kind == engine.BONUS:
            bonus = value
        else:
            penalty = value
    score = engine.combine(rules, subject, raw, shape.maximum, bonus, penalty, tuple(vetoes), ())
    return score, shape.expected - entered


def compute(scheme: Scheme, leaves, rules, subjects):
    """(scores, placements, missing counts) for every subject, summed in the database."""
    sums, layout = load_sums(scheme, leaves, [subject.id for subject in subjects])
    vetoes = load_vetoes(scheme, leaves)
    shapes: dict[object, Shape] = {}
    scores, missing = [], {}
    with localcontext() as ctx:  # the engine's precision, set once rather than per subject
        ctx.prec = engine.PRECISION
        for subject in subjects:
            shape = shapes.get(subject.unit_category)
            if shape is None:
                shape = shapes[subject.unit_category] = _shape(leaves, subject.unit_category)
            score, missing[subject.id] = score_from_sums(
                rules, subject, sums.get(subject.id), layout, shape, vetoes.get(subject.id, ())
            )
            scores.append(score)
    return scores, engine.place_scores(scores, rules), missing
