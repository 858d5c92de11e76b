"""Store computed results: compare with the stored rows in Python, write only what changed.

The stored results are read once, in subject order, each with its component rows
(two queries; on PostgreSQL both stream in subject order and are merged), and compared with
the computed rows value by value (Decimal equality: exact). An unchanged recompute writes
nothing and creates no temporary table. Changed rows go back through `Rewriter` (COPY and one
`UPDATE … FROM` on PostgreSQL), new component rows through `Inserter` (COPY on PostgreSQL).
Memory stays bounded at 30,000 subjects: the stored rows stream in subject order beside the
computed ones sorted the same way, and writes go out in batches.
"""

from decimal import Decimal
from operator import attrgetter

from django.db import connection
from django.db.models import CharField
from django.db.models.functions import Cast

from kaohe.schemes.models import Scheme

from . import engine
from .models import ComponentResult, SubjectResult
from .rewrite import Inserter, Rewriter

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
COMPONENT_FIELDS = ["raw", "maximum", "score"]
DECIMAL_FIELDS = {"total", "exact_total", "bonus", "penalty", *COMPONENT_FIELDS}
NEW_BATCH = 5000  # new results held as model instances before they are inserted
CHUNK = 2000  # stored rows converted to Python objects at a time


def _q(value):
    return value.quantize(engine.EXACT_PLACES)


def result_row(score, placement, missing_count) -> tuple:
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


def _fetched(cursor):
    while rows := cursor.fetchmany(CHUNK):
        yield from rows


def _postgres_rows(scheme: Scheme):
    """(pk, subject id, *RESULT_FIELDS, component pks, [[component id, raw, maximum, score]])
    per stored result, by subject id; the components ordered by component id.

    Two plain queries, both in subject order, merged here: cheaper for the server than one
    that gathers each result's components into arrays (a lookup per result), and plain
    columns are cheaper to read than arrays (30,000 subjects: 0.24 s against 0.34 s). The
    driver holds each whole result, so the second query can run while the first is read."""
    ops = connection.ops
    fields = [SubjectResult._meta.get_field(name) for name in RESULT_FIELDS]
    columns = ", ".join(f"r.{ops.quote_name(f.column)}" for f in fields)
    results = ops.quote_name(SubjectResult._meta.db_table)
    components = ops.quote_name(ComponentResult._meta.db_table)
    values = ", ".join(
        f"x.{ops.quote_name(ComponentResult._meta.get_field(name).column)}"
        for name in COMPONENT_FIELDS
    )
    with connection.cursor() as stored, connection.cursor() as parts:
        stored.execute(
            f"SELECT r.id, r.subject_id, {columns} FROM {results} AS r "  # noqa: S608
            "WHERE r.scheme_id = %s ORDER BY r.subject_id",
            [scheme.pk],
        )
        parts.execute(
            f"SELECT x.result_id, x.id, x.component_id, {values} FROM {components} AS x "  # noqa: S608
            f"JOIN {results} AS r ON r.id = x.result_id WHERE r.scheme_id = %s "
            "ORDER BY r.subject_id, x.component_id",
            [scheme.pk],
        )
        rows = _fetched(parts)
        part = next(rows, None)
        for row in _fetched(stored):
            ids, vals = [], []
            while part is not None and part[0] == row[0]:
                ids.append(part[1])
                vals.append(list(part[2:]))
                part = next(rows, None)
            yield (*row, ids or None, vals or None)


def _decimal_rows(queryset, names):
    """Rows with exact Decimal columns, read as text and made Decimal once (SQLite keeps
    decimals as floats, and Django's per-value converter dominates reading many rows)."""
    fields = [Cast(n, CharField()) if n in DECIMAL_FIELDS else n for n in names]
    positions = [i for i, n in enumerate(names) if n in DECIMAL_FIELDS]
    for row in queryset.values_list(*fields).iterator(chunk_size=CHUNK):
        row = list(row)
        for i in positions:
            row[i] = Decimal(row[i])
        yield tuple(row)


def _portable_rows(scheme: Scheme):
    """The same rows as `_postgres_rows` in two plain queries (SQLite has no arrays)."""
    components: dict[int, tuple[list, list]] = {}
    stored = ComponentResult.objects.filter(result__scheme=scheme).order_by("component_id")
    names = ["pk", "result_id", "component_id", *COMPONENT_FIELDS]
    for pk, result_id, component_id, *values in _decimal_rows(stored, names):
        ids, vals = components.setdefault(result_id, ([], []))
        ids.append(pk)
        vals.append([component_id, *values])
    results = SubjectResult.objects.filter(scheme=scheme).order_by("subject_id")
    # Read whole before anything is written: SQLite does not isolate a reading cursor from
    # writes on the same connection.
    for row in list(_decimal_rows(results, ["pk", "subject_id", *RESULT_FIELDS])):
        yield (*row, *components.get(row[0], (None, None)))


def stored_rows(scheme: Scheme):
    if connection.vendor == "postgresql":
        return _postgres_rows(scheme)
    return _portable_rows(scheme)


class Store:
    """Compares each computed subject with its stored rows and writes what differs."""

    def __init__(self, scheme: Scheme, now):
        self.scheme, self.now = scheme, now
        codes = scheme.components.values_list("code", "pk")
        self.codes = sorted(codes, key=lambda code_pk: code_pk[1])  # the stored order
        self.results = Rewriter(SubjectResult, [*RESULT_FIELDS, "computed_at"])
        self.components = Rewriter(ComponentResult, COMPONENT_FIELDS)
        self.new_components = Inserter(
            ComponentResult, ["result_id", "component_id", *COMPONENT_FIELDS]
        )
        self.new: list[tuple] = []

    def components_of(self, score) -> list[list]:
        """[component pk, raw, maximum, score] as they are stored. Raw sums and maxima add up
        values of two decimals (scores and maxima), so the stored column's ten places hold
        them as they are (no quantize: 180,000 calls at 30,000 subjects); only the scaled
        score is rounded to ten places."""
        found = score.components
        return [
            [pk, c.raw, c.maximum, _q(c.score)]
            for code, pk in self.codes
            if (c := found.get(code)) is not None
        ]

    def compare(self, score, row: tuple, old: tuple) -> None:
        if old[2:-2] != row:
            self.results.add((*row, self.now, old[0]))
        computed = self.components_of(score)
        if computed == (old[-1] or []):  # Decimal equality is by value
            return
        pairs = zip(old[-2] or (), old[-1] or (), strict=True)
        stored = {int(values[0]): (pk, values) for pk, values in pairs}
        for values in computed:
            pk, before = stored.get(values[0], (None, None))
            if pk is None:
                self.new_components.add((old[0], *values))
            elif before != values:
                self.components.add((*values[1:], pk))

    def add_new(self, score, row: tuple) -> None:
        self.new.append((score, row))
        if len(self.new) >= NEW_BATCH:  # bound the model instances alive at once
            self._create()

    def _create(self) -> None:
        fields = ["subject_id", *RESULT_FIELDS]
        created = SubjectResult.objects.bulk_create(
            SubjectResult(
                scheme=self.scheme,
                computed_at=self.now,
                **dict(zip(fields, (score.subject_id, *row), strict=True)),
            )
            for score, row in self.new
        )
        for (score, _row), result in zip(self.new, created, strict=True):
            for values in self.components_of(score):
                self.new_components.add((result.pk, *values))
        self.new.clear()

    def finish(self) -> None:
        self._create()
        self.results.finish()
        self.components.finish()
        self.new_components.finish()


def _audited(values):
    """(total, rank, grade) as the audit records it, the total always with two decimals
    (SQLite reads a stored 32.50 back as 32.5: compared as values, written alike)."""
    if values is None:
        return None
    total, rank, grade = values
    return (str(total.quantize(engine.CENT)), rank, grade)


def save(scheme: Scheme, scores, placements, missing, now) -> tuple[dict, bool]:
    """Write the results that differ from the stored ones, insert the new ones.

    Returns ({subject id: (before, after)} for the subjects whose (total, rank, grade) moved,
    before None for a subject without a stored result) and whether any result was stored.
    """
    store, moved = Store(scheme, now), {}
    stored = stored_rows(scheme)
    old = first = next(stored, None)
    for score in sorted(scores, key=attrgetter("subject_id")):
        while old is not None and old[1] < score.subject_id:
            old = next(stored, None)  # a result whose subject is gone (not expected)
        placement = placements[score.subject_id]
        row = result_row(score, placement, missing[score.subject_id])
        if old is not None and old[1] == score.subject_id:
            store.compare(score, row, old)
            before = (old[3], old[7], old[8])
        else:
            store.add_new(score, row)
            before = None
        after = (score.total, placement.rank, placement.grade)
        if before != after:
            moved[score.subject_id] = (_audited(before), _audited(after))
    store.finish()
    return moved, first is not None
