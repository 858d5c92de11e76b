"""Store computed results: compare each subject's signature with the stored one, write only
what changed.

A subject's signature is the exact text of everything the recompute stores for it: its result
row and its component rows (`signature`). It is stored beside the row, so an unchanged
recompute reads one short text per subject (not every stored value, which at 30,000 subjects
meant 120,000 rows and 400,000 decimals) and writes nothing. A subject whose text differs gets
its result row and all its component rows rewritten: `Rewriter` (COPY and one `UPDATE … FROM`
on PostgreSQL; component rows found by result and component, so no id is read). The text
starts with the ids of the components the subject has rows for: when they differ from the
computed ones (a component added to the scheme since), the subject's stored rows are looked up
and the missing ones inserted (`Inserter`). Only the recompute writes result rows, so the stored
text always describes the stored rows; a row whose text is empty (written before signatures
existed) never matches and is looked up and rewritten once.
"""

from operator import attrgetter, itemgetter

from kaohe.common.compiled import fetch_rows
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
NEW_BATCH = 5000  # new results held as model instances before they are inserted
# Component ids first (what rows the subject has), then numbers, written by str() exactly as
# computed; the free-text fields (grade, reason) last, the grade after its length: no text can
# make two different results read alike.
_NUMBERS = "|%s|%s|%s|%s|%s|%s|%s|%s|"


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


def signature(row: tuple, components: list[list]) -> str:
    """The exact text of a result row (RESULT_FIELDS order) and its component rows
    ([component id, raw, maximum, score]): equal texts, equal stored values. It starts with
    the component ids and "|" (`component_ids`)."""
    category, total, exact, bonus, penalty, rank, grade, reason, vetoed, missing = row
    numbers = _NUMBERS % (category, total, exact, bonus, penalty, rank, vetoed, missing)
    ids = ",".join([str(values[0]) for values in components])
    parts = ";".join([f"{raw}:{top}:{score}" for _id, raw, top, score in components])
    return f"{ids}{numbers}{parts}|{len(grade)}|{grade}|{reason}"


def component_ids(text: str) -> str | None:
    """The component ids a signature lists, as written (an empty signature: none known)."""
    return text.partition("|")[0] if text else None


def _stored_rows(scheme_id: int):
    results = SubjectResult.objects.filter(scheme_id=scheme_id).order_by("subject_id")
    return results.values_list("pk", "subject_id", "signature", "total", "rank", "grade")


def stored_rows(scheme: Scheme) -> list[tuple]:
    """(pk, subject id, signature, total, rank, grade) of every stored result, by subject id.
    Read whole before anything is written (SQLite does not isolate a reading cursor from
    writes on the same connection); at 30,000 subjects a few megabytes."""
    return fetch_rows("scoring.stored_results", _stored_rows, scheme.pk)


class Store:
    """Compares each computed subject with its stored signature and writes what differs."""

    def __init__(self, scheme: Scheme, now, components):
        """`components`: (code, weight, pk) of the scheme's components (load_components)."""
        self.scheme, self.now = scheme, now
        self.codes = sorted(((code, pk) for code, _weight, pk in components), key=itemgetter(1))
        self.results = Rewriter(SubjectResult, [*RESULT_FIELDS, "signature", "computed_at"])
        self.components = Rewriter(
            ComponentResult, COMPONENT_FIELDS, keys=("result_id", "component_id")
        )
        self.new_components = Inserter(
            ComponentResult, ["result_id", "component_id", *COMPONENT_FIELDS]
        )
        self.new: list[tuple] = []
        # (stored result pk, component rows) of subjects whose stored rows must be looked up
        self.reshaped: list[tuple[int, list]] = []

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

    def compare(self, score, row: tuple, pk: int, stored_signature: str) -> None:
        components = self.components_of(score)
        text = signature(row, components)
        if text == stored_signature:
            return
        self.results.add((*row, text, self.now, pk))
        if component_ids(text) == component_ids(stored_signature):
            for component_pk, *values in components:
                self.components.add((*values, pk, component_pk))
        else:
            self.reshaped.append((pk, components))

    def add_new(self, score, row: tuple) -> None:
        self.new.append((score, row))
        if len(self.new) >= NEW_BATCH:  # bound the model instances alive at once
            self._create()

    def _create(self) -> None:
        fields = ["subject_id", *RESULT_FIELDS]
        results, parts = [], []
        for score, row in self.new:
            components = self.components_of(score)
            values = dict(zip(fields, (score.subject_id, *row), strict=True))
            results.append(
                SubjectResult(
                    scheme=self.scheme,
                    computed_at=self.now,
                    signature=signature(row, components),
                    **values,
                )
            )
            parts.append(components)
        created = SubjectResult.objects.bulk_create(results)
        for result, components in zip(created, parts, strict=True):
            for values in components:
                self.new_components.add((result.pk, *values))
        self.new.clear()

    def _reshape_components(self) -> None:
        """Component rows of subjects whose stored rows are not the computed ones (a component
        added since, or rows stored before signatures): rewritten where the row exists, else
        added."""
        if not self.reshaped:
            return
        stored = ComponentResult.objects.filter(result__scheme=self.scheme)
        if len(self.reshaped) <= 500:  # a few subjects: read only their rows
            stored = ComponentResult.objects.filter(result_id__in=[pk for pk, _ in self.reshaped])
        existing = set(stored.order_by().values_list("result_id", "component_id"))
        for result_pk, components in self.reshaped:
            for component_pk, *values in components:
                if (result_pk, component_pk) in existing:
                    self.components.add((*values, result_pk, component_pk))
                else:
                    self.new_components.add((result_pk, component_pk, *values))
        self.reshaped.clear()

    def finish(self) -> None:
        self._create()
        self._reshape_components()
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


def save(scheme: Scheme, components, scores, placements, missing, now) -> tuple[dict, bool]:
    """Write the results that differ from the stored ones, insert the new ones.

    Returns ({subject id: (before, after)} for the subjects whose (total, rank, grade) moved,
    before None for a subject without a stored result) and whether any result was stored.
    """
    store, moved = Store(scheme, now, components), {}
    stored = stored_rows(scheme)
    position, count = 0, len(stored)
    for score in sorted(scores, key=attrgetter("subject_id")):
        while position < count and stored[position][1] < score.subject_id:
            position += 1  # a result whose subject is gone (not expected)
        placement = placements[score.subject_id]
        row = result_row(score, placement, missing[score.subject_id])
        if position < count and stored[position][1] == score.subject_id:
            pk, _subject_id, stored_signature, *before = stored[position]
            store.compare(score, row, pk, stored_signature)
            before = tuple(before)
        else:
            store.add_new(score, row)
            before = None
        after = (score.total, placement.rank, placement.grade)
        if before != after:
            moved[score.subject_id] = (_audited(before), _audited(after))
    store.finish()
    return moved, bool(stored)
