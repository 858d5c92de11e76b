"""The write path of scoring/rewrite.py: what goes in is what is read back.

On PostgreSQL the rows go through COPY text written by `CopyText` (escapes, NULL, booleans,
times, exponent-form decimals); elsewhere through executemany. Run on SQLite by default and on
PostgreSQL with DATABASE_URL=postgres://…
"""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from kaohe.schemes.models import GradeLevel
from kaohe.scoring.models import ComponentResult, SubjectResult
from kaohe.scoring.rewrite import CopyText, Inserter, Rewriter
from kaohe.scoring.services import ScoreChange, results_recompute, scores_save
from kaohe.scoring.store import COMPONENT_FIELDS, RESULT_FIELDS

from .test_aggregate import _build, _engine_view, _one_entered_leaf_per_component, _stored_view

AWKWARD = "tab\there, new\nline, back\\slash, \\N, cr\r, 优秀\b\f\v"


def test_copy_text_escapes_text_and_writes_numbers_as_they_are():
    text = CopyText(SubjectResult, ["total", "grade_reason", "vetoed", "rank", "id"])
    rows = [(Decimal("0E-10"), AWKWARD, True, 3, 7), (Decimal("1E+1"), "", False, 0, 8)]
    assert text(rows) == (
        "0E-10\ttab\\there, new\\nline, back\\\\slash, \\\\N, cr\\r, 优秀\\b\\f\\v\tt\t3\t7\n"
        "1E+1\t\tf\t0\t8\n"
    )


@pytest.mark.django_db
def test_rewritten_and_inserted_rows_read_back_as_written():
    leaves = _one_entered_leaf_per_component(Decimal(100))
    scheme = _build(leaves, [{"category": 0, "values": [60, 70, 80]}], (Decimal(0), 0), False)
    results_recompute(scheme=scheme)
    result = SubjectResult.objects.get(scheme=scheme)
    later = timezone.now() + timedelta(days=1)
    values = {
        "grading_category_id": result.grading_category_id,
        "total": Decimal("10.00"),
        "exact_total": Decimal("1E+1"),  # exponent form, as Decimal arithmetic may leave it
        "bonus": Decimal("0E-10"),
        "penalty": Decimal("0.50"),
        "rank": 9,
        "grade": "优\t秀",
        "grade_reason": AWKWARD,
        "vetoed": True,
        "missing_count": 2,
        "computed_at": later,
    }
    rewriter = Rewriter(SubjectResult, [*RESULT_FIELDS, "computed_at"])
    rewriter.add((*[values[name] for name in [*RESULT_FIELDS, "computed_at"]], result.pk))
    rewriter.finish()
    stored = SubjectResult.objects.values(*values).get(pk=result.pk)
    assert stored == values
    component = ComponentResult.objects.filter(result=result).first()
    ComponentResult.objects.filter(pk=component.pk).delete()
    inserter = Inserter(ComponentResult, ["result_id", "component_id", *COMPONENT_FIELDS])
    inserter.add((result.pk, component.component_id, Decimal("0E-10"), Decimal("1E+2"), Decimal(3)))
    inserter.finish()
    again = ComponentResult.objects.get(result=result, component_id=component.component_id)
    assert (again.raw, again.maximum, again.score) == (0, 100, 3)


@pytest.mark.django_db
def test_a_grade_name_with_tabs_and_backslashes_is_rewritten_intact():
    """Grade names are typed by people: whatever they hold must come back from a rewrite."""
    leaves = _one_entered_leaf_per_component(Decimal(100))
    subjects = [{"category": i % 2, "values": [60 + i, 70, 80]} for i in range(4)]
    scheme = _build(leaves, subjects, (Decimal(0), 0), False)
    results_recompute(scheme=scheme)
    GradeLevel.objects.filter(scheme=scheme).update(name="\\甲\t等\n")
    subject = SubjectResult.objects.filter(scheme=scheme).order_by("total").first().subject
    leaf = scheme.indicators.get(code="L0")
    scores_save(subject=subject, changes=[ScoreChange(indicator=leaf, value=Decimal(1))])
    results_recompute(scheme=scheme)
    assert SubjectResult.objects.filter(scheme=scheme, grade="\\甲\t等\n").exists()
    assert _stored_view(scheme) == _engine_view(scheme)


@pytest.mark.django_db
def test_result_tables_leave_half_of_each_page_free_on_postgresql():
    """Migration 0004: room for every row's new version on its page (HOT updates); a no-op
    elsewhere (this test database was migrated through it on SQLite too)."""
    if connection.vendor != "postgresql":
        pytest.skip("fillfactor is PostgreSQL's")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, reloptions FROM pg_class WHERE relname IN "
            "('scoring_subjectresult', 'scoring_componentresult')"
        )
        options = dict(cursor.fetchall())
    assert options == {
        "scoring_subjectresult": ["fillfactor=50"],
        "scoring_componentresult": ["fillfactor=50"],
    }
