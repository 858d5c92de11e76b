"""The SQL path (aggregate.py) and the pure engine agree on generated schemes and scores.

Run on SQLite by default and on PostgreSQL with DATABASE_URL=postgres://…
"""

from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kaohe.common.testing import make_category, make_scheme, make_unit
from kaohe.schemes.models import GradeLevel, Scheme, ScoreEntry
from kaohe.schemes.services import component_create, indicator_create, subject_enrol
from kaohe.scoring import engine
from kaohe.scoring.loading import load_leaves, load_rules, load_subjects
from kaohe.scoring.models import ComponentResult, SubjectResult
from kaohe.scoring.services import ScoreChange, results_recompute, scores_save

METHODS = ["entered", "deduction", "checklist", "derived", "bonus", "penalty", "veto"]
MAXIMA = [Decimal("5"), Decimal("10"), Decimal("12.5"), Decimal("33.33"), Decimal("100")]

leaf_st = st.fixed_dictionaries(
    {
        "method": st.sampled_from(METHODS),
        "component": st.sampled_from(["daily", "onsite", "satisfaction"]),
        "max": st.sampled_from(MAXIMA),
        "applies": st.sampled_from([(), (0,), (1,), (0, 1)]),
    }
)
subject_st = st.fixed_dictionaries(
    {
        "category": st.integers(0, 1),
        # per leaf: None (no entry) or a fraction of the allowed range
        "values": st.lists(st.one_of(st.none(), st.integers(0, 150)), min_size=8, max_size=8),
    }
)


def _value(leaf, fraction):
    if leaf["method"] == "veto":
        return Decimal(fraction % 2)
    top = leaf["max"] * (Decimal("1.5") if leaf["method"] == "deduction" else Decimal(1))
    return (top * min(fraction, 100) / 100).quantize(Decimal("0.01"))


def _build(leaves, subjects, caps, quota):
    categories = [make_category("pa", "类别甲"), make_category("pb", "类别乙")]
    scheme = make_scheme("prop", categories=categories, leaves=[])
    Scheme.objects.filter(pk=scheme.pk).update(bonus_cap=caps[0], penalty_cap=caps[1])
    if quota:
        GradeLevel.objects.filter(scheme=scheme, order=0).update(quota_percent=Decimal(30))
    components = {c.code: c for c in scheme.components.all()}
    indicators = []
    for index, leaf in enumerate(leaves):
        indicators.append(
            indicator_create(
                scheme=scheme,
                component=components[leaf["component"]],
                code=f"L{index}",
                name=f"L{index}",
                max_score=leaf["max"],
                method=leaf["method"],
                veto_grade="合格" if leaf["method"] == "veto" else "",
                applies_to=[categories[i] for i in leaf["applies"]],
            )
        )
    for number, spec in enumerate(subjects):
        category = categories[spec["category"]]
        unit = make_unit(f"u{number}", parent=scheme.owner_unit, category=category)
        subject = subject_enrol(scheme=scheme, unit=unit)
        changes = [
            ScoreChange(indicator=indicator, value=_value(leaf, fraction))
            for indicator, leaf, fraction in zip(indicators, leaves, spec["values"], strict=False)
            if fraction is not None
        ]
        if changes:
            scores_save(subject=subject, changes=changes, batch=True)
    return Scheme.objects.get(pk=scheme.pk)


def _engine_view(scheme):
    scores, placements = engine.compute_results(
        load_leaves(scheme), load_rules(scheme), load_subjects(scheme)
    )
    q = engine.EXACT_PLACES
    return {
        s.subject_id: (
            s.total,
            s.exact_total.quantize(q),
            placements[s.subject_id].rank,
            placements[s.subject_id].grade,
            placements[s.subject_id].reason,
            len(s.missing),
            {
                code: (c.raw.quantize(q), c.maximum.quantize(q), c.score.quantize(q))
                for code, c in s.components.items()
            },
        )
        for s in scores
    }


def _stored_view(scheme):
    components = {}
    stored = ComponentResult.objects.filter(result__scheme=scheme)
    for result_id, code, *values in stored.values_list(
        "result_id", "component__code", "raw", "maximum", "score"
    ):
        components.setdefault(result_id, {})[code] = tuple(values)
    return {
        r.subject_id: (
            r.total,
            r.exact_total,
            r.rank,
            r.grade,
            r.grade_reason,
            r.missing_count,
            components.get(r.pk, {}),
        )
        for r in SubjectResult.objects.filter(scheme=scheme)
    }


@pytest.mark.django_db
@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    leaves=st.lists(leaf_st, min_size=1, max_size=8),
    subjects=st.lists(subject_st, min_size=1, max_size=7),
    caps=st.tuples(st.sampled_from([Decimal(0), Decimal(3)]), st.sampled_from([0, 5])),
    quota=st.booleans(),
)
def test_sql_path_equals_pure_engine(leaves, subjects, caps, quota):
    with transaction.atomic():
        scheme = _build(leaves, subjects, caps, quota)
        results_recompute(scheme=scheme)
        assert _stored_view(scheme) == _engine_view(scheme)
        transaction.set_rollback(True)


def _rewrite_values(scheme, leaves, later):
    """Bench-free edits straight in the table: move, add and remove entries."""
    indicators = [scheme.indicators.get(code=f"L{index}") for index in range(len(leaves))]
    for subject, spec in zip(scheme.subjects.order_by("pk"), later, strict=False):
        for indicator, leaf, fraction in zip(indicators, leaves, spec["values"], strict=False):
            entries = ScoreEntry.objects.filter(subject=subject, indicator=indicator)
            if fraction is None:
                entries.delete()
            elif not entries.update(value=_value(leaf, fraction)):
                ScoreEntry.objects.create(
                    subject=subject, indicator=indicator, value=_value(leaf, fraction)
                )


@pytest.mark.django_db
@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    leaves=st.lists(leaf_st, min_size=1, max_size=8),
    subjects=st.lists(subject_st, min_size=1, max_size=6),
    later=st.lists(subject_st, min_size=0, max_size=6),
    caps=st.tuples(st.sampled_from([Decimal(0), Decimal(3)]), st.sampled_from([0, 5])),
    quota=st.booleans(),
    add_a_component=st.booleans(),
    rows_without_signature=st.booleans(),
)
def test_a_recompute_after_changes_equals_the_pure_engine(
    leaves, subjects, later, caps, quota, add_a_component, rows_without_signature
):
    """The write path of store.py (signatures compared, rows rewritten, the rows of a
    component added since the last computation inserted, rows stored before signatures
    existed rewritten) ends where a first computation would."""
    with transaction.atomic():
        scheme = _build(leaves, subjects, caps, quota)
        results_recompute(scheme=scheme)
        _rewrite_values(scheme, leaves, later)
        if add_a_component:
            component_create(scheme=scheme, code="extra", name="新增类别", weight=Decimal(0))
        if rows_without_signature:
            SubjectResult.objects.filter(scheme=scheme).update(signature="")
        results_recompute(scheme=scheme)
        assert _stored_view(scheme) == _engine_view(scheme)
        assert not SubjectResult.objects.filter(scheme=scheme, signature="").exists()
        transaction.set_rollback(True)


def _one_entered_leaf_per_component(top: Decimal) -> list[dict]:
    return [
        {"method": "entered", "component": c, "max": top, "applies": ()}
        for c in ("daily", "onsite", "satisfaction")
    ]


@pytest.mark.django_db
def test_a_subject_enrolled_later_gets_its_rows_beside_the_compared_ones():
    leaves = _one_entered_leaf_per_component(Decimal(50))
    subjects = [{"category": i % 2, "values": [20 + i, 30, 40]} for i in range(4)]
    scheme = _build(leaves, subjects, (Decimal(0), 0), False)
    results_recompute(scheme=scheme)
    unit = make_unit("later", parent=scheme.owner_unit, category=make_category("pa", "类别甲"))
    subject = subject_enrol(scheme=scheme, unit=unit)
    leaf = scheme.indicators.get(code="L0")
    scores_save(subject=subject, changes=[ScoreChange(indicator=leaf, value=Decimal(50))])
    results_recompute(scheme=scheme)
    assert SubjectResult.objects.filter(subject=subject).exists()
    assert ComponentResult.objects.filter(result__subject=subject).count() == 3
    assert _stored_view(scheme) == _engine_view(scheme)


def _row_versions():
    """Each stored row's version: PostgreSQL's xmin changes on any write of the row."""
    if connection.vendor != "postgresql":
        return sorted(ComponentResult.objects.values_list("pk", "raw", "maximum", "score"))
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, xmin::text FROM scoring_componentresult ORDER BY id")
        return cursor.fetchall()


@pytest.mark.django_db
def test_unchanged_recompute_writes_nothing_and_a_change_writes_one_row():
    leaves = _one_entered_leaf_per_component(Decimal(100))
    subjects = [{"category": i % 2, "values": [60 + i, 70, 80]} for i in range(6)]
    scheme = _build(leaves, subjects, (Decimal(0), 0), False)
    results_recompute(scheme=scheme)
    stamps = dict(SubjectResult.objects.values_list("subject_id", "computed_at"))
    versions = _row_versions()
    with CaptureQueriesContext(connection) as queries:
        results_recompute(scheme=scheme)
    writes = [
        q["sql"] for q in queries if q["sql"].upper().startswith(("INSERT", "UPDATE", "CREATE"))
    ]
    # Compared in Python (store.py): no write, no temporary table, no row gets a new version.
    assert writes == []
    assert _row_versions() == versions
    assert dict(SubjectResult.objects.values_list("subject_id", "computed_at")) == stamps
    subject = SubjectResult.objects.order_by("total").first().subject
    leaf = scheme.indicators.get(code="L0")
    scores_save(subject=subject, changes=[ScoreChange(indicator=leaf, value=Decimal(1))])
    results_recompute(scheme=scheme)
    moved = {
        s
        for s, at in SubjectResult.objects.values_list("subject_id", "computed_at")
        if at != stamps[s]
    }
    assert subject.pk in moved
    assert _stored_view(scheme) == _engine_view(scheme)
