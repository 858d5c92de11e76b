"""Benchmark: audit chain append/verify speed, and backup → restore of the demo plus a large log.

Builds the demo in a temporary SQLite database, appends BENCH_EVENTS audit events, times
audit_record, audit_verify, `backup`, and `restore` into a second, empty database.

    DEBUG=1 .venv/bin/python bench/bench_audit_backup.py
"""

import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kaohe.settings")
WORK = Path(tempfile.mkdtemp(prefix="kaohe-bench-audit-"))
os.environ["KAOHE_DATA_DIR"] = str(WORK / "a")
os.environ.pop("DATABASE_URL", None)
EVENTS = int(os.environ.get("BENCH_EVENTS", "20000"))


def main():
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections, transaction

    from kaohe.audit.backup import backup_create, backup_restore
    from kaohe.audit.models import AuditEvent
    from kaohe.audit.services import audit_record, audit_verify
    from kaohe.demo.builder import build_demo

    call_command("migrate", verbosity=0)
    build_demo()
    start = time.perf_counter()
    with transaction.atomic():
        for i in range(EVENTS):
            audit_record(action="bench.event", message=f"event {i}", after={"i": i})
    append = time.perf_counter() - start
    total = AuditEvent.objects.count()
    start = time.perf_counter()
    report = audit_verify()
    verify = time.perf_counter() - start
    archive = WORK / "backup.zip"
    start = time.perf_counter()
    manifest = backup_create(archive)
    backup = time.perf_counter() - start
    rows = sum(manifest["counts"].values())

    # Restore into a second, empty database (a new file, migrated).
    connections["default"].close()
    second = WORK / "b.sqlite3"
    connections["default"].settings_dict["NAME"] = str(second)
    call_command("migrate", verbosity=0)
    start = time.perf_counter()
    result = backup_restore(archive)
    restore = time.perf_counter() - start
    after = audit_verify()

    print(f"audit_record: {EVENTS} events in {append:.2f} s ({EVENTS / append:,.0f}/s)")
    print(
        f"audit_verify: {total} events in {verify:.2f} s ({total / verify:,.0f}/s), ok={report.ok}"
    )
    print(
        f"backup: {rows} rows, {archive.stat().st_size / 1e6:.1f} MB in {backup:.2f} s; "
        f"restore into empty SQLite: {result['objects']} rows in {restore:.2f} s; "
        f"chain after restore ok={after.ok} ({after.checked} events)"
    )


if __name__ == "__main__":
    main()
