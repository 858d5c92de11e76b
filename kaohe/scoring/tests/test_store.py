"""store.py: what a result's signature tells apart, and the rows it leads the recompute to write.

Run on SQLite by default and on PostgreSQL with DATABASE_URL=postgres://…
"""

from decimal import Decimal

import pytest

from kaohe.scoring import aggregate
from kaohe.scoring.loading import load_leaves
from kaohe.scoring.models import ComponentResult, SubjectResult
from kaohe.scoring.rewrite import Rewriter
from kaohe.scoring.services import results_recompute
from kaohe.scoring.store import COMPONENT_FIELDS, RESULT_FIELDS, component_ids, signature

from .test_aggregate import _build, _engine_view, _one_entered_leaf_per_component, _stored_view

ROW = (
    4,
    Decimal("81.40"),
    Decimal("81.3983100286"),
    Decimal("0.00"),
    Decimal("0"),
    7,
    "良好",
    "总分 81.40 ≥ 80.00 → 良好",
    False,
    0,
)
COMPONENTS = [
    [4, Decimal("80.36"), Decimal("100.20"), Decimal("80.1996007984")],
    [5, Decimal("81.75"), Decimal("99.90"), Decimal("81.8318318318")],
]


def test_a_signature_changes_with_every_stored_value():
    base = signature(ROW, COMPONENTS)
    assert signature(tuple(ROW), [list(c) for c in COMPONENTS]) == base
    for index, value in enumerate(ROW):
        changed = list(ROW)
        changed[index] = (not value) if isinstance(value, bool) else value + type(value)(1)
        assert signature(tuple(changed), COMPONENTS) != base, RESULT_FIELDS[index]
    for row in range(len(COMPONENTS)):
        for column in range(4):
            changed = [list(c) for c in COMPONENTS]
            changed[row][column] += 1
            assert signature(ROW, changed) != base
    assert signature(ROW, COMPONENTS[:1]) != base  # a component row fewer


def test_free_text_cannot_make_two_results_read_alike():
    """The grade and the reason are typed by people and may hold the separators."""
    one = (*ROW[:6], "甲|乙", "丙", *ROW[8:])
    other = (*ROW[:6], "甲", "乙|丙", *ROW[8:])
    assert signature(one, COMPONENTS) != signature(other, COMPONENTS)
    assert component_ids(signature(one, COMPONENTS)) == "4,5"
    assert component_ids("") is None  # a row stored before signatures: nothing known


def _scheme(count=4):
    leaves = _one_entered_leaf_per_component(Decimal(50))
    subjects = [{"category": i % 2, "values": [20 + i, 30, 40]} for i in range(count)]
    return _build(leaves, subjects, (Decimal(0), 0), False)


@pytest.mark.django_db
def test_component_rows_are_rewritten_by_result_and_component():
    scheme = _scheme(1)
    results_recompute(scheme=scheme)
    row = ComponentResult.objects.filter(result__scheme=scheme).first()
    rewriter = Rewriter(ComponentResult, COMPONENT_FIELDS, keys=("result_id", "component_id"))
    rewriter.add(
        (Decimal("1.5"), Decimal("2E+1"), Decimal("0E-10"), row.result_id, row.component_id)
    )
    rewriter.finish()
    row.refresh_from_db()
    assert (row.raw, row.maximum, row.score) == (Decimal("1.5"), 20, 0)
    assert ComponentResult.objects.filter(result__scheme=scheme, raw=Decimal("1.5")).count() == 1


@pytest.mark.django_db
def test_every_stored_result_carries_the_signature_of_its_rows():
    scheme = _scheme()
    results_recompute(scheme=scheme)
    for result in SubjectResult.objects.filter(scheme=scheme):
        components = [
            [c.component_id, c.raw, c.maximum, c.score]
            for c in ComponentResult.objects.filter(result=result).order_by("component_id")
        ]
        row = tuple(getattr(result, name) for name in RESULT_FIELDS)
        # Read back, the values equal the computed ones but their text may not (a column
        # pads to its scale: 11.0000000000 for a computed 11.00), so the signature is made
        # from what was computed, and here only what it says is checked.
        assert component_ids(result.signature) == ",".join(str(c[0]) for c in components)
        assert result.signature.endswith(f"|{len(row[6])}|{row[6]}|{row[7]}")
        assert f"|{row[1]}|" in result.signature  # the total


@pytest.mark.django_db
def test_a_row_written_behind_the_recompute_is_repaired_once_its_signature_is_cleared():
    """Only the recompute writes result rows (the signature says what they hold). A row
    changed by hand is put right by clearing its signature, as the upgrade to signatures did
    for every row."""
    scheme = _scheme()
    results_recompute(scheme=scheme)
    victim = ComponentResult.objects.filter(result__scheme=scheme).first()
    ComponentResult.objects.filter(pk=victim.pk).update(raw=Decimal("99"))
    SubjectResult.objects.filter(pk=victim.result_id).update(signature="")
    results_recompute(scheme=scheme)
    assert _stored_view(scheme) == _engine_view(scheme)


@pytest.mark.django_db
def test_sums_by_subject_ids_equal_sums_by_join(monkeypatch):
    """PostgreSQL reads a scheme's entries by its subject ids up to SUBJECT_IDS_UP_TO subjects
    and through the join beyond: the same sums either way (SQLite always joins)."""
    scheme = _scheme(5)
    leaves = load_leaves(scheme)
    ids = list(scheme.subjects.values_list("pk", flat=True))
    by_ids = aggregate.load_sums(scheme, leaves, ids)
    monkeypatch.setattr(aggregate, "SUBJECT_IDS_UP_TO", 0)
    assert aggregate.load_sums(scheme, leaves, ids) == by_ids
    assert len(by_ids[0]) == 5
