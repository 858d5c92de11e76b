"""Restore across databases with every model populated: SQLite → PostgreSQL → SQLite.

The suite's own database (SQLite by default, PostgreSQL in CI's second run) is filled with a
row of every model and backed up; `kaohe migrate`, `restore`, `verify-audit` and `backup` then
run as separate processes on the *other* database; that second archive is restored here and
every row must be what it was. PostgreSQL comes from KAOHE_TEST_POSTGRES_URL (default
postgres://postgres@127.0.0.1:5432, a throw-away database per run); the test skips, saying
why, only when that server cannot be reached. CI starts PostgreSQL before the tests.
"""

import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

from kaohe.audit import keys
from kaohe.audit.tests.populate import populate_every_model
from kaohe.audit.tests.test_backup_every_model import MOVING, every_row

ROOT = Path(__file__).resolve().parents[3]
SERVER = os.environ.get("KAOHE_TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432")


def _admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(f"{SERVER}/postgres", autocommit=True, connect_timeout=5) as conn:
        conn.execute(sql)


@pytest.fixture
def other_database(tmp_path):
    """The URL of an empty database of the other kind, dropped afterwards."""
    if connection.vendor != "sqlite":
        yield f"sqlite:///{tmp_path / 'other.sqlite3'}"
        return
    name = f"kaohe_restore_{os.getpid()}"
    try:
        _admin(f'DROP DATABASE IF EXISTS "{name}"')
        _admin(f'CREATE DATABASE "{name}"')
    except Exception as exc:  # noqa: BLE001 - any connection problem means "no server here"
        pytest.skip(f"PostgreSQL 不可用（{SERVER}：{exc}）：跳过 SQLite ⇄ PostgreSQL 恢复测试。")
    yield f"{SERVER}/{name}"
    _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _kaohe(url: str, data_dir: Path, *args: str) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KAOHE_", "DJANGO_"))}
    env.update(
        DATABASE_URL=url,
        DEBUG="1",
        KAOHE_DATA_DIR=str(data_dir),
        KAOHE_AUDIT_KEY=keys.keyring().current.decode(),  # the same key as this process
        KAOHE_AUDIT_ANCHOR_DIR="",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, f"{args}: {result.stdout}\n{result.stderr}"
    return result.stdout


@pytest.mark.django_db(transaction=True)
def test_restore_into_the_other_database_and_back(other_database, tmp_path):
    populate_every_model()
    before = every_row()
    here = tmp_path / f"from-{connection.vendor}.zip"
    back = tmp_path / "back.zip"
    call_command("backup", str(here), "--no-media", stdout=StringIO())

    _kaohe(other_database, tmp_path, "migrate", "--no-input", "-v", "0")
    restored = _kaohe(other_database, tmp_path, "restore", str(here))
    assert "审计链完整" in restored, restored
    _kaohe(other_database, tmp_path, "verify_audit", "--no-anchor")
    _kaohe(other_database, tmp_path, "backup", str(back), "--no-media")

    call_command("flush", interactive=False, verbosity=0)
    call_command("restore", str(back), stdout=StringIO())
    after = every_row()
    for label, rows in before.items():
        if label in MOVING:
            continue
        assert after[label] == rows, label
    audit = before["audit.auditevent"]
    assert after["audit.auditevent"][: len(audit)] == audit
    assert len(after["audit.auditevent"]) == len(audit) + 2  # one restore event per database
