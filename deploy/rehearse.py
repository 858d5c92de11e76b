"""Rehearse the multi-server topology on one machine (run through deploy/rehearse.sh).

nginx (REHEARSE_PORT) → two gunicorn app servers (PORT+1, PORT+2), two workers, PostgreSQL
and Redis. Loads a province-scale scheme (REHEARSE_SUBJECTS × 100 scores) beside the demo
assessment, signs in 50 users through nginx, then runs a bounded mixed load while it
SIGKILLs one app server and one worker and starts them again. Background tasks (short
probes and a province recompute) are enqueued before the kill. Prints requests, errors,
tasks lost and whether a session made on the killed server survived on the other one.
"""

import asyncio
import contextlib
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PORT = int(os.environ.get("REHEARSE_PORT", "18580"))
DB = os.environ["REHEARSE_DATABASE_URL"]
REDIS = os.environ["REHEARSE_REDIS_URL"]
SECONDS = float(os.environ.get("REHEARSE_SECONDS", "60"))
SUBJECTS = int(os.environ.get("REHEARSE_SUBJECTS", "3000"))
PROBES = int(os.environ.get("REHEARSE_PROBES", "30"))
os.environ.update(BENCH_PORT=str(PORT), BENCH_DATABASE_URL=DB, REDIS_URL=REDIS)
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
import bench_web  # noqa: E402

WORK = Path(tempfile.mkdtemp(prefix="kaohe-rehearse-"))
SECRET = bench_web.secrets.token_urlsafe(64)

NGINX = """
worker_processes 1;
pid {work}/nginx.pid;
error_log {work}/nginx-error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    upstream kaohe_app {{
        server 127.0.0.1:{a} max_fails=1 fail_timeout=5s;
        server 127.0.0.1:{b} max_fails=1 fail_timeout=5s;
        keepalive 32;
    }}
    server {{
        listen 127.0.0.1:{port};
        location /static/ {{ alias {static}/; }}
        location / {{
            proxy_pass http://kaohe_app;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_connect_timeout 2s;
            proxy_read_timeout 90s;
            proxy_next_upstream error timeout http_502 http_503;
            proxy_next_upstream_tries 2;
        }}
    }}
}}
"""


def env(**extra) -> dict:
    values = bench_web.server_env()
    values.update(
        SECRET_KEY=SECRET,
        REDIS_URL=REDIS,
        KAOHE_DATA_DIR=str(WORK / "data"),
        KAOHE_TASK_HEARTBEAT_SECONDS="2",
        KAOHE_TASK_STALE_SECONDS="15",
        GUNICORN_WORKERS="2",
        KAOHE_TASKS_IMMEDIATE="0",
    )
    values.update(extra)
    return values


def start_app(port: int) -> subprocess.Popen:
    return subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py", "kaohe.wsgi"],
        cwd=ROOT,
        env=env(GUNICORN_BIND=f"127.0.0.1:{port}", GUNICORN_PROC_NAME=f"kaohe-{port}"),
        start_new_session=True,
    )


def start_worker(name: str) -> subprocess.Popen:
    log = open(WORK / f"{name}.log", "ab")  # noqa: SIM115
    return subprocess.Popen(  # noqa: S603
        [sys.executable, "manage.py", "worker", "--workers", "2"],
        cwd=ROOT,
        env=env(),
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def kill(process: subprocess.Popen, sig=signal.SIGKILL) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, sig)
    process.wait(timeout=30)


def load_dataset() -> dict:
    plan = bench_web.prepare()  # demo in its public-notice period + 50 users
    os.environ["BENCH_SIZES"] = str(SUBJECTS)
    import bench_results

    from kaohe.schemes.models import Scheme

    code = bench_results.CODE.format(SUBJECTS)
    scheme = Scheme.objects.filter(code=code).first()
    if scheme is None or scheme.subjects.count() != SUBJECTS:
        start = time.perf_counter()
        scheme = bench_results.build(SUBJECTS)
        print(
            f"province dataset: {SUBJECTS} subjects × 100 scores in "
            f"{time.perf_counter() - start:.0f} s"
        )
    plan["province"] = scheme.pk
    return plan


def enqueue_tasks(province: int) -> list[int]:
    """Probes (2 s each, progress in the DB) and one province-wide recompute."""
    from django.conf import settings

    from kaohe.background.services import enqueue
    from kaohe.background.tasks import probe
    from kaohe.scoring.background import results_recompute_task

    settings.KAOHE_TASKS_IMMEDIATE = False
    settings.KAOHE_TASKS_REDIS_URL = REDIS
    ids = [enqueue(probe, 2.0, steps=4, ref="rehearsal").pk for _ in range(PROBES)]
    ids.append(enqueue(results_recompute_task, province, reason="rehearsal", ref="rehearsal").pk)
    return ids


def main():
    plan = load_dataset()
    static = WORK / "data" / "static"
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "-v", "0"],
        cwd=ROOT,
        env=env(),
        check=True,
    )
    (WORK / "nginx.conf").write_text(
        NGINX.format(work=WORK, a=PORT + 1, b=PORT + 2, port=PORT, static=static)
    )
    app_a, app_b = start_app(PORT + 1), start_app(PORT + 2)
    worker_1, worker_2 = start_worker("worker1"), start_worker("worker2")
    nginx = subprocess.Popen(  # noqa: S603
        ["/usr/sbin/nginx", "-c", str(WORK / "nginx.conf"), "-p", str(WORK), "-g", "daemon off;"],
        start_new_session=True,
    )
    try:
        rehearse(plan, app_a, worker_1)
    finally:
        for process in (nginx, app_a, app_b, worker_1, worker_2):
            kill(process, signal.SIGTERM)


def rehearse(plan, app_a, worker_1):
    bench_web.run_wait()
    users = []
    for role, name, own in plan["users"]:
        pages = bench_web.pages_for(role, plan["scheme"], own, plan["subjects"])
        users.append((role, bench_web.sign_in(name), pages))
    witness = users[0]  # an office user signed in before anything is killed
    task_ids = enqueue_tasks(plan["province"])
    events, survived = [], []
    state = {"a": app_a, "w": worker_1}

    def chaos():
        time.sleep(SECONDS * 0.2)
        kill(state["a"])
        kill(state["w"])
        events.append(f"{time.strftime('%X')} killed app server A (:{PORT + 1}) and worker 1")
        time.sleep(2)
        status, _ = asyncio.run(bench_web.get(f"/results/{plan['scheme']}/", witness[1]))
        survived.append(status == 200)
        time.sleep(SECONDS * 0.3)
        state["a"] = start_app(PORT + 1)
        state["w"] = start_worker("worker1")
        events.append(f"{time.strftime('%X')} restarted app server A and worker 1")

    thread = threading.Thread(target=chaos)
    thread.start()
    mixed = [
        (cookie, [(name, p) for name, paths in pages.items() for p in paths[:5]])
        for _r, cookie, pages in users
    ]
    records = asyncio.run(bench_web.drive(mixed, SECONDS))
    thread.join()
    status, _ = asyncio.run(bench_web.get(f"/results/{plan['scheme']}/", witness[1]))
    survived.append(status == 200)
    report(records, task_ids, events, survived)
    kill(state["a"], signal.SIGTERM)
    kill(state["w"], signal.SIGTERM)


def report(records, task_ids, events, survived):
    from kaohe.background.models import BackgroundRun

    deadline = time.monotonic() + 240
    while time.monotonic() < deadline:
        runs = list(BackgroundRun.objects.filter(pk__in=task_ids).values_list("status", "attempts"))
        if all(s in ("SUCCESSFUL", "FAILED") for s, _a in runs):
            break
        time.sleep(2)
    summary = bench_web.summary(records, SECONDS)
    statuses = {}
    for _name, status, _t in records:
        statuses[status] = statuses.get(status, 0) + 1
    done = sum(1 for s, _a in runs if s == "SUCCESSFUL")
    retried = sum(1 for s, a in runs if a > 1)
    print("\n".join(events))
    print(
        f"requests {summary['n']} in {SECONDS:.0f} s ({summary['rps']:.1f} req/s through nginx), "
        f"p50 {summary['p50']:.0f} ms, p95 {summary['p95']:.0f} ms, p99 {summary['p99']:.0f} ms"
    )
    print(f"errors {summary['errors']} (statuses {statuses})")
    print(
        f"tasks {len(runs)}: {done} successful, {retried} retried after the kill, "
        f"lost {len(runs) - done}"
    )
    print(
        f"session made before the kill still signed in: during {survived[0]}, after {survived[-1]}"
    )


if __name__ == "__main__":
    main()
