"""Import benchmark: a 10,000-row canonical indicator file and a 100,000-row score file.

Prints wall time and peak Python memory (tracemalloc) for the dry run (check) and the
apply step, and for a bare openpyxl read of the same file as the floor. Runs on a fresh
temporary SQLite database (or DATABASE_URL if set to something else).

    DEBUG=1 .venv/bin/python bench/bench_import.py [--indicators 10000] [--scores 100000]
"""

import argparse
import io
import os
import resource
import sys
import tempfile
import time
import tracemalloc
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
TMP = tempfile.mkdtemp(prefix="kaohe-bench-")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{TMP}/bench.sqlite3")
os.environ.setdefault("KAOHE_DATA_DIR", TMP)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kaohe.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from openpyxl import Workbook, load_workbook  # noqa: E402

HEADER = ["编码", "一级指标", "二级指标", "三级指标", "考核内容", "考核要求", "分值", "评分方式",
          "所属考核类别", "适用对象类别", "责任单位", "资料准备要求", "提交时限"]  # fmt: skip


def measure(label: str, fn, *, memory: bool = True):
    """Run fn once for time; run `again` (a fresh equivalent call) under tracemalloc for memory."""
    start = time.perf_counter()
    result = fn()
    elapsed = time.perf_counter() - start
    peak = None
    if memory:
        tracemalloc.start()
        fn_again = getattr(fn, "again", fn)
        fn_again()
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    shown = f"{peak / 1024 / 1024:8.1f} MB" if peak is not None else "       — "
    print(f"  {label:<44} {elapsed:8.2f} s   peak {shown}")
    return result


def indicator_file(rows: int) -> bytes:
    l1 = max(1, rows // 100)
    workbook = Workbook(write_only=True)
    ws = workbook.create_sheet("指标体系")
    ws.append(HEADER)
    count = 0
    for a in range(1, l1 + 1):
        ws.append([f"B{a}", f"一级指标{a}", None, None, None, None, None, None, "实地考核"])
        count += 1
        for b in range(1, 10):
            ws.append([f"B{a}.{b}", None, f"二级指标{a}.{b}", None, f"考核内容{a}.{b}"])
            count += 1
            for c in range(1, 11):
                ws.append([f"B{a}.{b}.{c}", None, None, f"三级指标{a}.{b}.{c}", "现场查看资料，抽查案卷",
                           "资料齐全、程序合法", 1, "直接评分", None, None, "市司法局\n市政府办公室",
                           "相关印证资料", "2020.12.28"])  # fmt: skip
                count += 1
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue(), count


def bare_read(data: bytes, read_only: bool) -> int:
    workbook = load_workbook(io.BytesIO(data), read_only=read_only)
    rows = sum(1 for _ in workbook.active.iter_rows(values_only=True))
    if read_only:
        workbook.close()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--indicators", type=int, default=10000)
    parser.add_argument("--scores", type=int, default=100000)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)

    from kaohe.common.testing import make_category, make_unit
    from kaohe.schemes.models import Indicator, ScoreEntry
    from kaohe.schemes.services import grading_category_create, scheme_create
    from kaohe.transfer.services import import_apply, import_check

    category = make_category()
    city = make_unit("基准市")
    make_unit("市司法局", parent=city, category=category)
    make_unit("市政府办公室", parent=city)
    print(f"database: {django.db.connection.vendor}")

    # --- indicators --------------------------------------------------------------------
    data, count = indicator_file(args.indicators)
    print(f"\n{count} 行标准模板指标文件（{len(data) / 1024 / 1024:.1f} MB）")
    measure("floor: openpyxl load (full mode) + iterate", lambda: bare_read(data, False))
    measure("floor: openpyxl load (read-only) + iterate", lambda: bare_read(data, True))
    schemes = [
        scheme_create(code=f"bench-{i}", name="基准", year=2021, owner_unit=city) for i in range(2)
    ]

    def check():
        report = import_check(kind="indicators", name="b.xlsx", data=data, scheme=schemes[0])
        assert report["ok"], report["errors"][:5]
        return report

    measure("import-indicators --dry-run (check)", check)

    def apply(index):
        report = import_apply(kind="indicators", name="b.xlsx", data=data, scheme=schemes[index])
        assert report["ok"], report["errors"][:5]

    run = lambda: apply(0)  # noqa: E731
    run.again = lambda: apply(1)
    measure("import-indicators (check + write)", run)
    print(f"  indicators written: {Indicator.objects.filter(scheme=schemes[0]).count()}")

    # --- scores ------------------------------------------------------------------------
    subjects_n = 100
    leaves_n = max(1, args.scores // subjects_n)
    scheme = scheme_create(code="bench-scores", name="得分基准", year=2021, owner_unit=city)
    grading_category_create(scheme=scheme, name="市直部门", unit_categories=[category])
    daily = scheme.components.get(code="daily")
    Indicator.objects.bulk_create(
        [
            Indicator(
                scheme=scheme,
                component=daily,
                code=f"D{i}",
                name=f"日常指标{i}",
                level=1,
                order=i,
                max_score=Decimal(10),
            )
            for i in range(1, leaves_n + 1)
        ]  # fmt: skip
    )
    from kaohe.orgs.services import unit_create
    from kaohe.schemes.services import subject_enrol

    names = [f"考核对象{i:03d}" for i in range(subjects_n)]
    for name in names:
        subject_enrol(scheme=scheme, unit=unit_create(name=name, parent=city, category=category))
    workbook = Workbook(write_only=True)
    ws = workbook.create_sheet("得分")
    ws.append(["考核对象", "指标编码", "得分", "说明"])
    for name in names:
        for i in range(1, leaves_n + 1):
            ws.append([name, f"D{i}", (i % 10) + 0.5, ""])
    buffer = io.BytesIO()
    workbook.save(buffer)
    scores = buffer.getvalue()
    print(f"\n{subjects_n * leaves_n} 行得分文件（{len(scores) / 1024 / 1024:.1f} MB）")
    measure("floor: openpyxl load (read-only) + iterate", lambda: bare_read(scores, True))

    def check_scores():
        report = import_check(kind="scores", name="s.xlsx", data=scores, scheme=scheme)
        assert report["ok"], report["errors"][:5]

    measure("import-scores --dry-run (check)", check_scores)

    def apply_scores():
        report = import_apply(kind="scores", name="s.xlsx", data=scores, scheme=scheme)
        assert report["ok"], report["errors"][:5]

    measure("import-scores (check + scores_save, audited)", apply_scores, memory=False)
    print(f"  score entries written: {ScoreEntry.objects.filter(subject__scheme=scheme).count()}")
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\nprocess peak RSS over the whole run (upper bound for every step): {rss:.0f} MB")


if __name__ == "__main__":
    main()
