"""API benchmark: 100,000 scores pushed through POST /api/v1/schemes/{id}/scores/bulk in
batches, against the Excel import of the same rows; read latency of the results endpoint
for 3,000 subjects. Floors measured in the same run: a bare bulk_create of the same score
rows, and a bare query of one page of stored results.

The API is called in-process through Django's test client (no network, JSON encoding and
decoding, token check, rate limit, the score service and its audit all included).

    DEBUG=1 .venv/bin/python bench/bench_api.py [--scores 100000] [--batch 5000] [--subjects 3000]
"""

import argparse
import io
import json
import os
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
TMP = tempfile.mkdtemp(prefix="kaohe-bench-")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{TMP}/bench.sqlite3")
os.environ.setdefault("KAOHE_DATA_DIR", TMP)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kaohe.settings")
os.environ.setdefault("KAOHE_API_RATE", "1000000/m")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from openpyxl import Workbook  # noqa: E402


def timed(label: str, fn):
    start = time.perf_counter()
    result = fn()
    elapsed = time.perf_counter() - start
    print(f"  {label:<52} {elapsed:8.2f} s")
    return result, elapsed


def build_scheme(code: str, city, category, subjects_n: int, leaves_n: int):
    from kaohe.orgs.models import Unit
    from kaohe.schemes.models import Indicator, Subject
    from kaohe.schemes.services import grading_category_create, scheme_create

    scheme = scheme_create(code=code, name="接口基准", year=2021, owner_unit=city)
    grading = grading_category_create(scheme=scheme, name="市直部门", unit_categories=[category])
    daily = scheme.components.get(code="daily")
    Indicator.objects.bulk_create(
        Indicator(scheme=scheme, component=daily, code=f"D{i}", name=f"日常指标{i}", level=1,
                  order=i, max_score=Decimal(10))
        for i in range(1, leaves_n + 1)
    )  # fmt: skip
    units = Unit.objects.bulk_create(
        Unit(name=f"{code}对象{i:04d}", parent=city, category=category, path="")
        for i in range(subjects_n)
    )
    for unit in units:  # the tree path is derived from the id
        unit.path = f"{city.path}{unit.pk:08d}/"
    Unit.objects.bulk_update(units, ["path"])
    Subject.objects.bulk_create(
        Subject(scheme=scheme, unit=u, unit_category=category, grading_category=grading, order=i)
        for i, u in enumerate(units)
    )
    return scheme


def value(i: int, j: int) -> str:
    return f"{(i * 7 + j) % 10}.5"


def push_scores(client, scheme, batch: int) -> int:
    from kaohe.schemes.models import Indicator

    leaves = list(Indicator.objects.filter(scheme=scheme).order_by("order"))
    rows = [
        {"subject_id": s, "indicator_code": leaf.code, "value": value(i, j)}
        for i, s in enumerate(scheme.subjects.order_by("order").values_list("pk", flat=True))
        for j, leaf in enumerate(leaves)
    ]
    for start in range(0, len(rows), batch):
        response = client.post(
            f"/api/v1/schemes/{scheme.pk}/scores/bulk",
            json.dumps({"rows": rows[start : start + batch]}),
            content_type="application/json",
        )
        assert response.status_code == 200, response.content[:500]
    return len(rows)


def score_file(scheme) -> bytes:
    from kaohe.schemes.models import Indicator

    leaves = list(Indicator.objects.filter(scheme=scheme).order_by("order"))
    workbook = Workbook(write_only=True)
    ws = workbook.create_sheet("得分")
    ws.append(["考核对象", "指标编码", "得分", "说明"])
    for i, subject in enumerate(scheme.subjects.order_by("order").select_related("unit")):
        for j, leaf in enumerate(leaves):
            ws.append([subject.unit.name, leaf.code, float(value(i, j)), ""])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def floor_bulk_create(scheme) -> None:
    from kaohe.schemes.models import Indicator, ScoreEntry

    leaves = list(Indicator.objects.filter(scheme=scheme).order_by("order"))
    ScoreEntry.objects.bulk_create(
        (
            ScoreEntry(subject_id=s, indicator=leaf, value=Decimal(value(i, j)), source="bench")
            for i, s in enumerate(scheme.subjects.order_by("order").values_list("pk", flat=True))
            for j, leaf in enumerate(leaves)
        ),
        batch_size=5000,
    )


def clear_scores(scheme) -> None:
    from kaohe.schemes.models import ScoreEntry

    ScoreEntry.objects.filter(subject__scheme=scheme).delete()


def latency(client, url: str, runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, response.content[:300]
    return times


def show(label: str, times: list[float]) -> None:
    times = sorted(times)
    p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
    print(f"  {label:<52} median {statistics.median(times):7.1f} ms   p95 {p95:7.1f} ms")


def push_versus_excel(client, office, city, category, scores: int, batch: int) -> None:
    from kaohe.schemes.models import ScoreEntry
    from kaohe.transfer.services import import_apply

    leaves_n = 1000
    subjects_n = max(1, scores // leaves_n)
    scheme = build_scheme("api-push", city, category, subjects_n, leaves_n)
    rows = subjects_n * leaves_n
    print(f"\n{rows} 条得分（{subjects_n} 个考核对象 × {leaves_n} 项指标）")
    _, floor = timed(
        "floor: bulk_create of the same rows (no checks)", lambda: floor_bulk_create(scheme)
    )
    clear_scores(scheme)
    _, api_time = timed(
        f"API bulk, {batch} rows per request", lambda: push_scores(client, scheme, batch)
    )
    assert ScoreEntry.objects.filter(subject__scheme=scheme).count() == rows
    clear_scores(scheme)
    data = score_file(scheme)

    def excel():
        report = import_apply(kind="scores", name="s.xlsx", data=data, scheme=scheme, actor=office)
        assert report["ok"], report["errors"][:5]

    _, excel_time = timed(f"Excel import of the same rows ({len(data) / 1e6:.1f} MB)", excel)
    assert ScoreEntry.objects.filter(subject__scheme=scheme).count() == rows
    clear_scores(scheme)  # the floor again, last: the faster of the two runs is reported
    _, again = timed("floor again (after the others)", lambda: floor_bulk_create(scheme))
    floor = min(floor, again)
    print(f"  API {rows / api_time:,.0f} rows/s, Excel {rows / excel_time:,.0f} rows/s, "
          f"floor {rows / floor:,.0f} rows/s")  # fmt: skip


def results_latency(client, city, category, subjects: int, runs: int) -> None:
    from kaohe.scoring.models import SubjectResult
    from kaohe.scoring.services import results_recompute

    print(f"\n结果读取：{subjects} 个考核对象 × 20 项指标")
    big = build_scheme("api-read", city, category, subjects, 20)
    floor_bulk_create(big)
    timed("results_recompute (setup, once)", lambda: results_recompute(scheme=big))
    url = f"/api/v1/schemes/{big.pk}/results"
    show("GET results ?limit=500 (first page)", latency(client, f"{url}?limit=500", runs))
    show(
        "GET results ?limit=500&offset=2500", latency(client, f"{url}?limit=500&offset=2500", runs)
    )
    show("GET results ?limit=50", latency(client, f"{url}?limit=50", runs))
    subject = big.subjects.order_by("order").first()
    show("GET subjects/{id}/trace", latency(client, f"/api/v1/subjects/{subject.pk}/trace", runs))

    def floor_page():
        start = time.perf_counter()
        list(SubjectResult.objects.filter(scheme=big).order_by("rank").values(
            "subject_id", "subject__unit__name", "rank", "total", "grade")[:500])  # fmt: skip
        return (time.perf_counter() - start) * 1000

    show("floor: one query for 500 stored result rows", [floor_page() for _ in range(runs)])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scores", type=int, default=100000)
    parser.add_argument("--batch", type=int, default=5000)
    parser.add_argument("--subjects", type=int, default=3000)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    from kaohe.accounts.choices import Role
    from kaohe.api.services import token_create
    from kaohe.common.testing import make_category, make_unit, make_user

    category = make_category()
    city = make_unit("基准市")
    office = make_user("bench-office", role=Role.OFFICE_ADMIN, unit=city, subtree=True)
    _token, secret = token_create(user=office, name="基准", scope="write")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {secret}", HTTP_HOST="localhost")
    print(f"database: {django.db.connection.vendor}")
    push_versus_excel(client, office, city, category, args.scores, args.batch)
    results_latency(client, city, category, args.subjects, args.runs)


if __name__ == "__main__":
    main()
