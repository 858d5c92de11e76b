"""Benchmark: full results computation for a province-sized scheme vs. one raw SQL GROUP BY.

3,000 subjects × 100 leaf indicators (one score each = 300,000 rows) in three grading
categories. Times results_recompute (load → compute → save ranks and grades) and, as the
floor, a single hand-written SQL sum per subject over the same scores on the same database.

    DEBUG=1 .venv/bin/python bench/bench_results.py              # SQLite in a temp dir
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_kaohe DEBUG=1 .venv/bin/python bench/bench_results.py
"""

import os
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kaohe.settings")
if "DATABASE_URL" not in os.environ:
    os.environ["KAOHE_DATA_DIR"] = tempfile.mkdtemp(prefix="kaohe-bench-")

SUBJECTS = int(os.environ.get("BENCH_SUBJECTS", "3000"))
LEAVES = int(os.environ.get("BENCH_LEAVES", "100"))


def setup_database():
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0, interactive=False)


def _drop_previous(scheme_code: str) -> None:
    """Remove a previous run's scheme in dependency order (indicators protect components)."""
    from kaohe.schemes.models import Indicator, Scheme, ScoreEntry, Subject
    from kaohe.scoring.models import ComponentResult, SubjectResult

    for scheme in Scheme.objects.filter(code=scheme_code):
        ComponentResult.objects.filter(result__scheme=scheme).delete()
        SubjectResult.objects.filter(scheme=scheme).delete()
        ScoreEntry.objects.filter(subject__scheme=scheme).delete()
        Subject.objects.filter(scheme=scheme).delete()
        Indicator.objects.filter(scheme=scheme).update(parent=None)
        Indicator.objects.filter(scheme=scheme).delete()
        scheme.delete()


def build(scheme_code: str):
    import random

    from django.db import transaction

    from kaohe.orgs.models import Unit, UnitCategory
    from kaohe.orgs.services import unit_create
    from kaohe.schemes.models import Indicator, ScoreEntry, Subject
    from kaohe.schemes.services import grading_category_create, scheme_create

    _drop_previous(scheme_code)
    rng = random.Random(7)
    with transaction.atomic():
        province = unit_create(name=f"bench-省-{time.time_ns()}")
        categories = [
            UnitCategory.objects.get_or_create(code=f"bench{i}", defaults={"name": f"类别{i}"})[0]
            for i in range(3)
        ]
        scheme = scheme_create(
            code=scheme_code, name="省级基准方案", year=2020, owner_unit=province
        )
        for i, category in enumerate(categories):
            grading_category_create(
                scheme=scheme, name=f"组别{i}", unit_categories=[category], order=i
            )
        components = list(scheme.components.order_by("order"))
        per_component = {components[0]: 60, components[1]: 30, components[2]: LEAVES - 90}
        indicators = []
        for component, count in per_component.items():
            for j in range(count):
                indicators.append(
                    Indicator(
                        scheme=scheme,
                        component=component,
                        code=f"{component.code}-{j:03d}",
                        name=f"指标{j}",
                        level=1,
                        max_score=Decimal(100) / count,
                        method="entered",
                    )
                )
        Indicator.objects.bulk_create(indicators)
        indicators = list(Indicator.objects.filter(scheme=scheme))
        units = Unit.objects.bulk_create(
            [
                Unit(
                    name=f"单位{i:05d}",
                    parent=province,
                    category=categories[i % 3],
                    path=f"{province.path}x{i:07d}/",
                )
                for i in range(SUBJECTS)
            ]
        )
        grading = {gc.unit_categories.first().pk: gc for gc in scheme.grading_categories.all()}
        subjects = Subject.objects.bulk_create(
            [
                Subject(
                    scheme=scheme,
                    unit=u,
                    unit_category_id=u.category_id,
                    grading_category=grading[u.category_id],
                    order=i,
                )
                for i, u in enumerate(units)
            ]
        )
        rows = []
        for subject in subjects:
            for leaf in indicators:
                top = leaf.max_score
                rows.append(
                    ScoreEntry(
                        subject=subject,
                        indicator=leaf,
                        value=(top * Decimal(rng.randint(60, 100)) / 100).quantize(Decimal("0.01")),
                    )
                )
            if len(rows) >= 50000:
                ScoreEntry.objects.bulk_create(rows, batch_size=5000)
                rows = []
        ScoreEntry.objects.bulk_create(rows, batch_size=5000)
    return scheme


def raw_group_by(scheme) -> float:
    from django.db import connection

    sql = (
        "SELECT e.subject_id, SUM(e.value) FROM schemes_scoreentry e "
        "JOIN schemes_subject s ON s.id = e.subject_id WHERE s.scheme_id = %s "
        "GROUP BY e.subject_id"
    )
    start = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(sql, [scheme.pk])
        rows = cursor.fetchall()
    elapsed = time.perf_counter() - start
    assert len(rows) == SUBJECTS
    return elapsed


def main():
    setup_database()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from kaohe.scoring import engine
    from kaohe.scoring.loading import load_leaves, load_rules, load_subjects
    from kaohe.scoring.models import SubjectResult
    from kaohe.scoring.services import results_recompute

    vendor = connection.vendor
    start = time.perf_counter()
    scheme = build("bench-province")
    print(
        f"database: {vendor}; built {SUBJECTS} subjects × {LEAVES} leaves "
        f"({SUBJECTS * LEAVES:,} scores) in {time.perf_counter() - start:.1f} s"
    )

    raw_times = [raw_group_by(scheme) for _ in range(3)]
    raw = min(raw_times)

    full_times, query_counts = [], []
    for _ in range(3):
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            results_recompute(scheme=scheme, reason="bench")
            full_times.append(time.perf_counter() - start)
        query_counts.append(len(queries))
    full = min(full_times)

    start = time.perf_counter()
    leaves, rules, subjects = load_leaves(scheme), load_rules(scheme), load_subjects(scheme)
    load = time.perf_counter() - start
    start = time.perf_counter()
    engine.compute_results(leaves, rules, subjects)
    compute = time.perf_counter() - start

    assert SubjectResult.objects.filter(scheme=scheme).count() == SUBJECTS
    print(f"raw SQL GROUP BY (sum per subject):        {raw * 1000:8.1f} ms (best of 3)")
    print(f"results_recompute (load→compute→save):     {full * 1000:8.1f} ms (best of 3)")
    print(
        f"  of which load {load * 1000:.1f} ms, pure compute {compute * 1000:.1f} ms, "
        f"save+audit ≈ {(full - load - compute) * 1000:.1f} ms"
    )
    print(f"ratio full / raw:                          {full / raw:8.1f} ×")
    print(f"queries per recompute: {query_counts} (does not depend on the number of subjects)")


if __name__ == "__main__":
    main()
