"""A real worker process (`kaohe worker`) on a SQLite data directory: runs tasks, and after
being killed mid-task, the restarted worker finishes the cut task (never left "running")."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def _env(data_dir):
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env.update(
        DEBUG="1",
        KAOHE_DATA_DIR=str(data_dir),
        KAOHE_TASKS_IMMEDIATE="0",
        KAOHE_TASK_HEARTBEAT_SECONDS="0.5",
        KAOHE_TASK_STALE_SECONDS="3",
        DJANGO_SETTINGS_MODULE="kaohe.settings",
    )
    return env


def _manage(env, *args, timeout=120):
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=True,
    ).stdout


def _shell(env, code):
    return _manage(env, "shell", "--no-imports", "-c", code).strip().splitlines()[-1]


STATE = (
    "from kaohe.background.models import BackgroundRun as R; import json; "
    "print(json.dumps([[r.pk, r.status, r.attempts, r.done] for r in R.objects.order_by('pk')]))"
)


def _wait(env, predicate, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        rows = json.loads(_shell(env, STATE))
        if predicate(rows):
            return rows
        time.sleep(0.5)
    raise AssertionError(f"timed out; rows: {rows}")


def _worker(env):
    return subprocess.Popen(
        [sys.executable, str(ROOT / "manage.py"), "worker", "--workers", "1"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def test_real_worker_runs_tasks_and_recovers_a_killed_one(tmp_path):
    env = _env(tmp_path)
    _manage(env, "migrate", "--no-input", "-v", "0", timeout=300)
    enqueue = (
        "from kaohe.background.tasks import probe; "
        "r1 = probe.enqueue(0.1); r2 = probe.enqueue(6, steps=12); print(r2.id)"
    )
    long_id = int(_shell(env, enqueue))
    worker = _worker(env)
    try:
        _wait(
            env,
            lambda rows: rows[0][1] == "SUCCESSFUL" and rows[1][1] == "RUNNING" and rows[1][3] >= 1,
        )
        os.killpg(worker.pid, signal.SIGKILL)  # a crash: no chance to clean up
        worker.wait(timeout=10)
        worker = _worker(env)  # the restarted worker sees the dead one's run at start-up
        rows = _wait(env, lambda rows: rows[1][1] in {"SUCCESSFUL", "FAILED"})
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        output = worker.communicate(timeout=20)[0].decode()
    assert rows[1] == [long_id, "SUCCESSFUL", 2, 12], output
    assert "recovered {'requeued': 1, 'failed': 0}" in output
