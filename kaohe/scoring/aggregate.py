"""Results through the database: sum leaf scores in SQL, rank and grade with the pure engine,
write only the rows that changed.

One GROUP BY subject returns, per component, the sum and count of entered values and the
deducted part of deduction leaves (capped at each leaf's maximum), and the bonus and penalty
sums — each a CASE over the leaves of that (component, method), counting only leaves that
apply to the subject's unit category. Grouping by subject alone keeps the query as cheap as
a plain `SUM … GROUP BY subject_id`. What does not depend on entries (applicable maxima, how
many leaves should have a value) is computed once per unit category from the leaves.
`engine.combine` turns the sums into a SubjectScore exactly as `engine.score_subject` does
from single values (the property tests hold the two paths equal); `engine.place_scores`
ranks and grades.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection
from django.db.models import (
    Case,
    CharField,
    Count,
    DecimalField,
    F,
    Q,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast, Least

from kaohe.schemes.models import Scheme, ScoreEntry

from . import engine
from .models import ComponentResult, SubjectResult
from .rewrite import Rewriter, merge

SUM_FIELD = DecimalField(max_digits=20, decimal_places=2)
ZERO_SUM = Value(Decimal(0), output_field=SUM_FIELD)
RESULT_FIELDS = (
    "grading_category_id",
    "total",
    "exact_total",
    "bonus",
    "penalty",
    "rank",
    "grade",
    "grade_reason",
    "vetoed",
    "missing_count",
)
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
    """The aggregate columns and what each means: (kind, component code)."""
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
        else:
            whens = [When(_applies(group), then=F("value"))]
        columns[name] = Sum(Case(*whens, default=ZERO_SUM, output_field=SUM_FIELD))
        layout.append((kind, code))
    # How many applicable value leaves have an entry (the rest are "missing").
    valued = [leaf for (kind, _code), group in groups.items() if kind == "value" for leaf in group]
    if valued:
        columns["entered"] = Count(Case(When(_applies(valued), then=1)))
        layout.append(("count", ""))
    return columns, layout


def load_sums(scheme: Scheme, leaves) -> tuple[dict, list]:
    """One GROUP BY subject over every score: {subject id: (sums...)} and the layout."""
    columns, layout = _columns(leaves)
    if not columns:
        return {}, layout
    rows = (
        ScoreEntry.objects.filter(subject__scheme=scheme)
        .order_by()
        .values("subject_id")
        .annotate(**columns)
        .values_list("subject_id", *columns)
    )
    return {row[0]: row[1:] for row in rows}, layout


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
    sums, layout = load_sums(scheme, leaves)
    vetoes = load_vetoes(scheme, leaves)
    shapes: dict[object, Shape] = {}
    scores, missing = [], {}
    for subject in subjects:
        shape = shapes.get(subject.unit_category)
        if shape is None:
            shape = shapes[subject.unit_category] = _shape(leaves, subject.unit_category)
        score, missing[subject.id] = score_from_sums(
            rules, subject, sums.get(subject.id), layout, shape, vetoes.get(subject.id, ())
        )
        scores.append(score)
    return scores, engine.place_scores(scores, rules), missing


def _decimals(queryset, names, decimal_names):
    """Rows with exact Decimal columns. PostgreSQL's driver returns Decimal itself; elsewhere
    (SQLite) the values are read as text and made Decimal once, because Django's per-value
    decimal converter dominates reading 12,000 stored results."""
    # Streamed in large chunks: no second copy of every row in a result cache (memory at
    # 30,000 subjects), and few round trips for PostgreSQL's server-side cursor.
    if connection.vendor == "postgresql":
        return queryset.values_list(*names).iterator(chunk_size=20000)
    fields = [Cast(n, CharField()) if n in decimal_names else n for n in names]
    positions = [i for i, n in enumerate(names) if n in decimal_names]
    rows = []
    for row in queryset.values_list(*fields):
        row = list(row)
        for i in positions:
            row[i] = Decimal(row[i])
        rows.append(tuple(row))
    return rows


def _q(value):
    return value.quantize(engine.EXACT_PLACES)


def _result_row(score, placement, missing_count) -> tuple:
    return (
        score.grading_category,
        score.total,
        _q(score.exact_total),
        score.bonus,
        score.penalty,
        placement.rank,
        placement.grade,
        placement.reason,
        bool(score.vetoes),
        missing_count,
    )


NEW_BATCH = 5000


def _create(model, rows: list) -> dict:
    """Insert and empty `rows`; {subject id: new pk} for results."""
    created = model.objects.bulk_create(rows) if rows else []
    rows.clear()
    return {r.subject_id: r.pk for r in created if hasattr(r, "subject_id")}


def save(scheme: Scheme, scores, placements, missing, now) -> dict[int, tuple]:
    """Update changed results in place (one executemany per table), insert new ones, leave
    the rest untouched. Returns the previous (total, rank, grade) per subject for the audit.
    """
    previous = {
        row[1]: row
        for row in _decimals(
            SubjectResult.objects.filter(scheme=scheme).order_by(),
            ["pk", "subject_id", *RESULT_FIELDS],
            {"total", "exact_total", "bonus", "penalty"},
        )
    }
    rewrite = Rewriter(SubjectResult, [*RESULT_FIELDS, "computed_at"])
    result_ids = {subject_id: row[0] for subject_id, row in previous.items()}
    new = []
    for score in scores:
        row = _result_row(score, placements[score.subject_id], missing[score.subject_id])
        old = previous.get(score.subject_id)
        if old is None:
            new.append(
                SubjectResult(
                    scheme=scheme,
                    subject_id=score.subject_id,
                    computed_at=now,
                    **dict(zip(RESULT_FIELDS, row, strict=True)),
                )
            )
            if len(new) >= NEW_BATCH:  # bound the model instances alive at once
                result_ids.update(_create(SubjectResult, new))
        elif old[2:] != row:
            rewrite.add((*row, now, old[0]))  # bounded memory: written in batches
    rewrite.finish()
    result_ids.update(_create(SubjectResult, new))
    _save_components(scheme, scores, result_ids)
    return {subject_id: (str(row[3]), row[7], row[8]) for subject_id, row in previous.items()}


def _save_components(scheme, scores, result_ids) -> None:
    component_ids = dict(scheme.components.values_list("code", "pk"))
    if connection.vendor == "postgresql":
        rows = (
            (result_ids[s.subject_id], component_ids[code], _q(c.raw), _q(c.maximum), _q(c.score))
            for s in scores
            for code, c in s.components.items()
        )
        merge(ComponentResult, ["result", "component"], ["raw", "maximum", "score"], rows)
        return
    # (pk, hash of the three values): a tuple of Decimals per row would hold ~50 MB at
    # 30,000 subjects. Decimal hashes are value-based (1.5 and 1.50 hash alike).
    stored = {
        (row[1], row[2]): (row[0], hash(row[3:]))
        for row in _decimals(
            ComponentResult.objects.filter(result__scheme=scheme).order_by(),
            ["pk", "result_id", "component_id", "raw", "maximum", "score"],
            {"raw", "maximum", "score"},
        )
    }
    rewrite, new = Rewriter(ComponentResult, ["raw", "maximum", "score"]), []
    for s in scores:
        result_id = result_ids[s.subject_id]
        for code, c in s.components.items():
            key = (result_id, component_ids[code])
            values = (_q(c.raw), _q(c.maximum), _q(c.score))
            old = stored.get(key)
            if old is None:
                new.append(
                    ComponentResult(
                        result_id=key[0],
                        component_id=key[1],
                        raw=values[0],
                        maximum=values[1],
                        score=values[2],
                    )
                )
                if len(new) >= NEW_BATCH:
                    _create(ComponentResult, new)
            elif old[1] != hash(values):
                rewrite.add((*values, old[0]))
    rewrite.finish()
    _create(ComponentResult, new)
