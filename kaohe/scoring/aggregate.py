"""Results through the database: sum leaf scores in SQL, rank and grade with the pure engine,
write only the rows that changed.

One GROUP BY returns, per (subject, component, method), the sum of entered values (for a
deduction leaf the deducted part, capped at the leaf's maximum) and the number of entries,
counting only leaves that apply to the subject's unit category. Everything that does not
depend on entries (applicable maxima, how many leaves should have a value) is computed once
per unit category from the leaves. `engine.combine` turns the sums into a SubjectScore,
exactly as `engine.score_subject` does from single values (the property tests hold the two
paths equal); `engine.place_scores` ranks and grades.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Case, Count, DecimalField, Exists, F, OuterRef, Q, Sum, When

from kaohe.schemes.models import Indicator, Scheme, ScoreEntry

from . import engine
from .models import ComponentResult, SubjectResult

SUM_FIELD = DecimalField(max_digits=20, decimal_places=2)
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


@dataclass
class Sums:
    """One subject's sums from the database, by component code."""

    values: dict = field(default_factory=lambda: defaultdict(lambda: engine.ZERO))
    deducted: dict = field(default_factory=lambda: defaultdict(lambda: engine.ZERO))
    entered: dict = field(default_factory=lambda: defaultdict(int))
    bonus: Decimal = engine.ZERO
    penalty: Decimal = engine.ZERO
    vetoes: list = field(default_factory=list)


@dataclass
class Shape:
    """What the applicable leaves of one unit category add up to, by component code."""

    maximum: dict = field(default_factory=lambda: defaultdict(lambda: engine.ZERO))
    deduction_max: dict = field(default_factory=lambda: defaultdict(lambda: engine.ZERO))
    expected: dict = field(default_factory=lambda: defaultdict(int))


def _shape(leaves, unit_category) -> Shape:
    shape = Shape()
    for leaf in leaves:
        if leaf.method not in engine.COMPONENT_METHODS or not leaf.applies(unit_category):
            continue
        shape.maximum[leaf.component] += leaf.max_score
        if leaf.method == engine.DEDUCTION:
            shape.deduction_max[leaf.component] += leaf.max_score
        else:
            shape.expected[leaf.component] += 1
    return shape


def _applicable(entries, leaves):
    """Keep entries on leaves that apply to the entry's subject (a leaf without applies_to
    applies to every category)."""
    restricted = [leaf.id for leaf in leaves if leaf.applies_to]
    if not restricted:
        return entries
    through = Indicator.applies_to.through.objects.filter(
        indicator_id=OuterRef("indicator_id"), unitcategory_id=OuterRef("subject__unit_category")
    )
    return entries.filter(~Q(indicator_id__in=restricted) | Exists(through))


def load_sums(scheme: Scheme, leaves) -> dict[int, Sums]:
    """Two queries: the GROUP BY over every score, and the (few) triggered vetoes."""
    codes = dict(scheme.components.values_list("pk", "code"))
    by_id = {leaf.id: leaf for leaf in leaves}
    summed = [leaf.id for leaf in leaves if leaf.method != engine.VETO]
    entries = _applicable(ScoreEntry.objects.filter(subject__scheme=scheme), leaves).order_by()
    capped = Case(
        When(
            indicator__method=engine.DEDUCTION,
            value__gt=F("indicator__max_score"),
            then=F("indicator__max_score"),
        ),
        default=F("value"),
        output_field=SUM_FIELD,
    )
    rows = (
        entries.filter(indicator_id__in=summed)
        .values_list("subject_id", "indicator__component_id", "indicator__method")
        .annotate(total=Sum(capped, output_field=SUM_FIELD), count=Count("pk"))
    )
    sums: dict[int, Sums] = defaultdict(Sums)
    for subject_id, component_id, method, total, count in rows:
        item = sums[subject_id]
        code = codes.get(component_id, "")
        if method == engine.BONUS:
            item.bonus += total
        elif method == engine.PENALTY:
            item.penalty += total
        elif method == engine.DEDUCTION:
            item.deducted[code] += total
        else:
            item.values[code] += total
            item.entered[code] += count
    vetoes = [leaf.id for leaf in leaves if leaf.method == engine.VETO]
    if vetoes:
        triggered = entries.filter(indicator_id__in=vetoes, value__gt=0).order_by("indicator_id")
        for subject_id, leaf_id in triggered.values_list("subject_id", "indicator_id"):
            sums[subject_id].vetoes.append((leaf_id, by_id[leaf_id].veto_grade))
    return sums


def score_from_sums(leaves, rules, subject, sums: Sums, shape: Shape):
    """The engine's SubjectScore and the number of leaves still without a value."""
    raw = {}
    for code in set(shape.maximum) | set(sums.values):
        raw[code] = sums.values[code] + shape.deduction_max[code] - sums.deducted[code]
    missing = sum(shape.expected[code] - sums.entered[code] for code in shape.expected)
    # Vetoes in the order the engine walks leaves (entries were already filtered to the
    # leaves that apply).
    order = {leaf.id: i for i, leaf in enumerate(leaves)}
    vetoes = tuple(sorted(sums.vetoes, key=lambda v: order[v[0]]))
    score = engine.combine(rules, subject, raw, shape.maximum, sums.bonus, sums.penalty, vetoes, ())
    return score, missing


def compute(scheme: Scheme, leaves, rules, subjects):
    """(scores, placements, missing counts) for every subject, summed in the database."""
    sums = load_sums(scheme, leaves)
    shapes: dict[object, Shape] = {}
    scores, missing = [], {}
    for subject in subjects:
        if subject.unit_category not in shapes:
            shapes[subject.unit_category] = _shape(leaves, subject.unit_category)
        score, missing[subject.id] = score_from_sums(
            leaves, rules, subject, sums.get(subject.id) or Sums(), shapes[subject.unit_category]
        )
        scores.append(score)
    return scores, engine.place_scores(scores, rules), missing


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


def save(scheme: Scheme, scores, placements, missing, now) -> dict[int, tuple]:
    """Insert new results, update changed ones (bulk upsert), leave the rest untouched.

    Returns the previous (total, rank, grade) per subject for the audit event.
    """
    previous = {
        row[1]: row
        for row in SubjectResult.objects.filter(scheme=scheme)
        .order_by()
        .values_list("pk", "subject_id", *RESULT_FIELDS)
    }
    component_ids = dict(scheme.components.values_list("code", "pk"))
    changed = []
    for score in scores:
        row = _result_row(score, placements[score.subject_id], missing[score.subject_id])
        old = previous.get(score.subject_id)
        if old is not None and old[2:] == row:
            continue
        result = SubjectResult(
            pk=old[0] if old else None,
            scheme=scheme,
            subject_id=score.subject_id,
            computed_at=now,
            **dict(zip(RESULT_FIELDS, row, strict=True)),
        )
        changed.append(result)
    if changed:
        SubjectResult.objects.bulk_create(
            changed,
            batch_size=2000,
            update_conflicts=True,
            unique_fields=["subject"],
            update_fields=[*RESULT_FIELDS, "computed_at"],
        )
    _save_components(scheme, scores, previous, changed, component_ids)
    return {subject_id: (str(row[3]), row[7], row[8]) for subject_id, row in previous.items()}


def _save_components(scheme, scores, previous, changed, component_ids) -> None:
    result_ids = {subject_id: row[0] for subject_id, row in previous.items()}
    result_ids.update({r.subject_id: r.pk for r in changed})
    stored = {
        (result_id, component_id): (raw, maximum, score)
        for result_id, component_id, raw, maximum, score in ComponentResult.objects.filter(
            result__scheme=scheme
        )
        .order_by()
        .values_list("result_id", "component_id", "raw", "maximum", "score")
    }
    rows = []
    for s in scores:
        result_id = result_ids[s.subject_id]
        for code, c in s.components.items():
            key = (result_id, component_ids[code])
            values = (_q(c.raw), _q(c.maximum), _q(c.score))
            if stored.get(key) != values:
                rows.append(
                    ComponentResult(
                        result_id=key[0],
                        component_id=key[1],
                        raw=values[0],
                        maximum=values[1],
                        score=values[2],
                    )
                )
    if rows:
        ComponentResult.objects.bulk_create(
            rows,
            batch_size=5000,
            update_conflicts=True,
            unique_fields=["result", "component"],
            update_fields=["raw", "maximum", "score"],
        )
