"""Benchmark: results recompute at 300 / 3,000 / 30,000 subjects vs. one raw SQL GROUP BY.

Each size: N subjects × 100 leaf indicators (one score each) in three grading categories.
For each size, in the same run and on the same database:
- floor: one hand-written `SELECT subject_id, SUM(value) … GROUP BY subject_id`;
- results_recompute when nothing changed — target ≤ 3× the floor;
- results_recompute when every stored row changes (one leaf per component moved for every
  subject) — target ≤ 5× the floor;
  BENCH_ROUNDS rounds (default 5) of: floor, unchanged, floor, every row changed — each
  recompute right after a floor run, under the same load on a shared machine. Ratios are best
  to best; the ranges over the rounds are printed beside them;
- queries per recompute (target: the same for every size) and the peak RSS of a process
  that only recomputes (target: < 300 MB at 30,000 subjects).
Each size is built in one child process and measured in a fresh one, so the peak memory is
the recompute's own. A previous run's data of the same shape is reused (BENCH_REUSE=0 rebuilds).

    DEBUG=1 .venv/bin/python bench/bench_results.py              # SQLite in a temp dir
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_kaohe DEBUG=1 \
        .venv/bin/python bench/bench_results.py                  # BENCH_SIZES=300,3000
"""

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kaohe.settings")
if "DATABASE_URL" not in os.environ and "KAOHE_DATA_DIR" not in os.environ:
    os.environ["KAOHE_DATA_DIR"] = tempfile.mkdtemp(prefix="kaohe-bench-")

LEAVES = int(os.environ.get("BENCH_LEAVES", "100"))
SIZES = [int(n) for n in os.environ.get("BENCH_SIZES", "300,3000,30000").split(",")]
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "5"))
CODE = "bench-province-{}"


def setup_database(migrate: bool):
    import django
    from django.core.management import call_command

    django.setup()
    if migrate:
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


def build(size: int):
    import random

    from django.db import transaction

    from kaohe.orgs.models import Unit, UnitCategory
    from kaohe.orgs.services import unit_create
    from kaohe.schemes.models import Indicator, Scheme, ScoreEntry, Subject
    from kaohe.schemes.services import grading_category_create, scheme_create

    scheme_code = CODE.format(size)
    existing = Scheme.objects.filter(code=scheme_code).first()
    if os.environ.get("BENCH_REUSE", "1") == "1" and existing is not None:
        entries = ScoreEntry.objects.filter(subject__scheme=existing).count()
        if existing.subjects.count() == size and entries == size * LEAVES:
            return existing  # same seed, same shape: building 3,000,000 scores again takes minutes
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
        Indicator.objects.bulk_create(
            Indicator(
                scheme=scheme,
                component=component,
                code=f"{component.code}-{j:03d}",
                name=f"指标{j}",
                level=1,
                max_score=Decimal(100) / count,
                method="entered",
            )
            for component, count in per_component.items()
            for j in range(count)
        )
        indicators = list(Indicator.objects.filter(scheme=scheme))
        units = Unit.objects.bulk_create(
            [
                Unit(
                    name=f"单位{i:05d}",
                    parent=province,
                    category=categories[i % 3],
                    path=f"{province.path}x{i:07d}/",
                )
                for i in range(size)
            ],
            batch_size=5000,
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
            ],
            batch_size=5000,
        )
        _scores(subjects, indicators, rng)
    return scheme


def _scores(subjects, indicators, rng) -> None:
    """Bench data only: one random score per subject and leaf (60–100 % of its maximum)."""
    from kaohe.schemes.models import ScoreEntry

    rows = []
    for subject in subjects:
        for leaf in indicators:
            top = leaf.max_score
            value = (top * Decimal(rng.randint(60, 100)) / 100).quantize(Decimal("0.01"))
            rows.append(ScoreEntry(subject=subject, indicator=leaf, value=value))
        if len(rows) >= 50000:
            ScoreEntry.objects.bulk_create(rows, batch_size=5000)
            rows = []
    ScoreEntry.objects.bulk_create(rows, batch_size=5000)


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
    assert rows
    return elapsed


def move_every_row(scheme, step: str) -> None:
    """Bench data only: move the first leaf of each component by `step` for every subject,
    so every stored result and component result changes on the next recompute."""
    from django.db import connection

    first = [
        scheme.indicators.filter(component=c).order_by("code").values_list("pk", flat=True)[0]
        for c in scheme.components.all()
    ]
    marks = ", ".join(["%s"] * len(first))
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE schemes_scoreentry SET value = value + {step} "  # noqa: S608
            f"WHERE indicator_id IN ({marks})",
            first,
        )


def touch_every_row(scheme) -> float:
    """The database's own cost of rewriting every stored result row (rolled back)."""
    from django.db import connection, transaction

    start = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE scoring_componentresult SET score = score WHERE result_id IN "
            "(SELECT id FROM scoring_subjectresult WHERE scheme_id = %s)",
            [scheme.pk],
        )
        cursor.execute(
            "UPDATE scoring_subjectresult SET total = total WHERE scheme_id = %s", [scheme.pk]
        )
        elapsed = time.perf_counter() - start
        transaction.set_rollback(True)
    return elapsed


def measure(size: int) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from kaohe.schemes.models import Scheme
    from kaohe.scoring.models import SubjectResult
    from kaohe.scoring.services import results_recompute

    scheme = Scheme.objects.get(code=CODE.format(size))
    results_recompute(scheme=scheme, reason="bench: first")  # every row new
    # The floor runs before each recompute, so that each recompute has a floor measured
    # under the same load on a shared machine; the ratios use the best of each.
    floor, unchanged, changed, queries = [], [], [], []
    for i in range(ROUNDS):
        floor.append(raw_group_by(scheme))
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            results_recompute(scheme=scheme, reason="bench")
            unchanged.append(time.perf_counter() - start)
        queries.append(len(captured))
        floor.append(raw_group_by(scheme))
        move_every_row(scheme, "-0.01" if i % 2 == 0 else "0.01")
        start = time.perf_counter()
        results_recompute(scheme=scheme, reason="bench: all changed")
        changed.append(time.perf_counter() - start)
    write_floor = min(touch_every_row(scheme) for _ in range(3))
    assert SubjectResult.objects.filter(scheme=scheme).count() == size
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "size": size,
        "raw": min(floor),
        "unchanged": min(unchanged),
        "changed": min(changed),
        "ranges": {"raw": _span(floor), "unchanged": _span(unchanged), "changed": _span(changed)},
        "write_floor": write_floor,
        "queries": sorted(set(queries)),
        "peak_mb": peak_mb,
    }


def _span(times: list) -> list:
    return [min(times), max(times)]


def child(phase: str, size: int) -> None:
    setup_database(migrate=phase == "build")
    if phase == "build":
        start = time.perf_counter()
        build(size)
        from django.db import connection

        if connection.vendor == "postgresql":
            # What autovacuum does after a bulk load, and after the previous run's rewrites
            # of every result row (a server with autovacuum off would otherwise measure
            # ever more dead rows, for the floor's table as for the results').
            with connection.cursor() as cursor:
                for table in (
                    "schemes_scoreentry",
                    "schemes_subject",
                    "scoring_subjectresult",
                    "scoring_componentresult",
                ):
                    cursor.execute(f"VACUUM ANALYZE {table}")
                cursor.execute("ANALYZE")
        print(json.dumps({"built": time.perf_counter() - start}))
    else:
        print(json.dumps(measure(size)))


def _run_child(phase: str, size: int) -> dict:
    # The measuring process runs as in production: DEBUG off (no query log kept in memory).
    env = dict(os.environ)
    if phase == "measure":
        env.update(DEBUG="0", SECRET_KEY="bench-" * 10, ALLOWED_HOSTS="localhost")
        env.setdefault("KAOHE_AUDIT_KEY", "bench-audit-key-" * 3)  # a throw-away database
    out = subprocess.run(  # noqa: S603 — this script, by path
        [sys.executable, __file__, phase, str(size)],
        check=True,
        capture_output=True,
        text=True,
        env=env,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def main():
    from django.conf import settings

    setup_database(migrate=True)
    vendor = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    print(f"database: {vendor}; {LEAVES} leaves per subject; sizes {SIZES}")
    rows = []
    for size in SIZES:
        built = _run_child("build", size)["built"]
        rows.append(_run_child("measure", size))
        _print_size(rows[-1], built)
    _print_summary(rows)


def _verdict(ok: bool) -> str:
    return "met" if ok else "MISSED"


def _print_size(r: dict, built: float) -> None:
    unchanged, changed = r["unchanged"] / r["raw"], r["changed"] / r["raw"]
    spans = {k: "–".join(f"{t * 1000:.0f}" for t in v) for k, v in r["ranges"].items()}
    print(
        f"{r['size']:>6} subjects ({r['size'] * LEAVES:,} scores, built in {built:.1f} s; "
        f"best of {ROUNDS} rounds, range in brackets)\n"
        f"    raw GROUP BY (the floor)  {r['raw'] * 1000:8.1f} ms [{spans['raw']}]\n"
        f"    unchanged recompute       {r['unchanged'] * 1000:8.1f} ms = {unchanged:4.1f}× "
        f"(target ≤ 3×: {_verdict(unchanged <= 3)}) [{spans['unchanged']}]\n"
        f"    every row changed         {r['changed'] * 1000:8.1f} ms = {changed:4.1f}× "
        f"(target ≤ 5×: {_verdict(changed <= 5)}) [{spans['changed']}]; a bare UPDATE of "
        f"those rows alone: {r['write_floor'] * 1000:.0f} ms\n"
        f"    queries per recompute     {r['queries']} (target: the same at every size)\n"
        f"    peak RSS                  {r['peak_mb']:.0f} MB (target < 300 MB at 30,000)",
        flush=True,
    )


def _print_summary(rows: list) -> None:
    print("growth, relative to the smallest size:")
    base = rows[0]
    for r in rows:
        print(
            f"  {r['size']:>6}: ×{r['size'] / base['size']:<4.0f} subjects → unchanged "
            f"×{r['unchanged'] / base['unchanged']:.1f}, every row changed "
            f"×{r['changed'] / base['changed']:.1f}, raw GROUP BY ×{r['raw'] / base['raw']:.1f}"
        )
    counts = {tuple(r["queries"]) for r in rows}
    print(
        f"query count constant across sizes (target): {_verdict(len(counts) == 1)} {sorted(counts)}"
    )
    big = [r for r in rows if r["size"] >= 30000]
    if big:
        peak = big[0]["peak_mb"]
        print(
            f"peak RSS at {big[0]['size']:,} subjects: {peak:.0f} MB "
            f"(target < 300 MB: {_verdict(peak < 300)})"
        )


if __name__ == "__main__":
    if len(sys.argv) == 3:
        child(sys.argv[1], int(sys.argv[2]))
    else:
        main()
