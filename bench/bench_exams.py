"""Benchmark: 200 examinees in one sitting saving answers against gunicorn + PostgreSQL (loopback).

Run:  .venv/bin/python bench/bench_exams.py [--examinees 200] [--seconds 30] [--interval 3]
      [--port 18210] [--workers 2] [--threads 4]
Uses the PostgreSQL database BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/h_exams),
which it DROPS and re-creates; the rate limiter's cache is Redis (BENCH_REDIS_URL, default db 2).

Every examinee is a thread with its own cookies: it opens the code page, enters its code, loads its
paper, then saves one answer every `interval` seconds on average (uniform 0.5×–1.5×) for `seconds`.
Before that, the same threads request the code page at the same pace: the floor, through the same
middleware, session and template stack, without the answer write. Prints saves per second, p50/p95/p99
latency and errors (must be 0), and checks that the stored save counts add up to the 200s received.
Bounded: fixed duration, one request at a time per examinee, the server is stopped at the end.
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
TMP = tempfile.mkdtemp(prefix="kaohe-bench-exams-")
DB_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/h_exams")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/2")
SERVER_ENV = {
    "DATABASE_URL": DB_URL,
    "REDIS_URL": REDIS_URL,
    "KAOHE_DATA_DIR": TMP,
    "SECRET_KEY": "bench-only-" + "x" * 50,
    "ALLOWED_HOSTS": "127.0.0.1",
    "KAOHE_HTTPS": "0",
    "DJANGO_SETTINGS_MODULE": "kaohe.settings",
}
os.environ.update(SERVER_ENV)

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
QUESTION = re.compile(r'name="q" value="(Q\d+)"><input type="hidden" name="kind" value="(\w+)"')


def recreate_database() -> None:
    import psycopg

    name = DB_URL.rsplit("/", 1)[1]
    admin = DB_URL.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def build(examinees: int) -> list[str]:
    """A city, a unit with `examinees` staff, the demo bank, an open sitting; returns the codes."""
    from decimal import Decimal

    from kaohe.exams.demo import WRITTEN_LINES
    from kaohe.exams.demo_bank import load_demo_bank
    from kaohe.exams.services.exams import exam_save
    from kaohe.exams.services.sittings import sitting_create, sitting_draw_paper, sitting_open
    from kaohe.onsite.populations import from_people
    from kaohe.onsite.services.draws import draw_announce_seed, draw_execute, draw_prepare
    from kaohe.orgs.models import Person, UnitCategory
    from kaohe.orgs.services import unit_create
    from kaohe.schemes.services import (
        grading_category_create,
        indicator_create,
        scheme_create,
        subject_enrol,
    )

    category, _ = UnitCategory.objects.get_or_create(
        code="department", defaults={"name": "市直部门"}
    )
    city = unit_create(name="基准市")
    unit = unit_create(name="基准局", parent=city, category=category)
    Person.objects.bulk_create(
        [Person(unit=unit, name=f"人员{i:03d}", level="general") for i in range(examinees)]
    )
    scheme = scheme_create(code="bench", name="基准方案", year=2020, owner_unit=city)
    grading_category_create(scheme=scheme, name="市直部门", unit_categories=[category])
    onsite = scheme.components.get(code="onsite")
    parent = indicator_create(scheme=scheme, component=onsite, code="X2", name="能力测试")
    leaf = indicator_create(
        scheme=scheme, parent=parent, code="X2.2", name="机关人员测试", max_score=Decimal("10")
    )
    subject = subject_enrol(scheme=scheme, unit=unit)
    bank = load_demo_bank(city)
    exam = exam_save(
        indicator=leaf,
        bank=bank,
        kind="written",
        title="基准测试",
        lines=WRITTEN_LINES,
        time_limit_minutes=120,
    )
    rule = {"count_min": examinees, "count_max": examinees}
    draw = draw_prepare(subject=subject, title="全员", members=from_people(unit), rule=rule)
    draw_announce_seed(draw=draw, seed="1")
    draw = draw_execute(draw=draw)
    sitting = sitting_create(exam=exam, draw=draw, mode="online")
    sitting_draw_paper(sitting=sitting, seed="1")
    sitting_open(sitting=sitting)
    return list(sitting.examinees.values_list("code", flat=True))


class Examinee:
    """One phone: its own cookies, one request at a time, a new loopback connection each."""

    def __init__(self, port: int, code: str):
        self.port, self.code, self.cookies, self.csrf = port, code, {}, ""
        self.questions: list[tuple[str, str]] = []

    def request(self, method: str, path: str, data: dict | None = None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if data is not None:
            body = urlencode(data, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["X-CSRFToken"] = self.csrf
        start = time.perf_counter()
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        text = response.read().decode("utf-8", "replace")
        elapsed = time.perf_counter() - start
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        conn.close()
        return response.status, text, elapsed

    def enter(self) -> None:
        status, text, _ = self.request("GET", "/exams/t/")
        self.csrf = CSRF.search(text)[1]
        status, _, _ = self.request(
            "POST", "/exams/t/", {"code": self.code, "csrfmiddlewaretoken": self.csrf}
        )
        assert status == 302, f"code refused: {status}"
        status, text, _ = self.request("GET", "/exams/t/paper/")
        assert status == 200, status
        self.csrf = CSRF.search(text)[1]
        self.questions = QUESTION.findall(text)

    def answer(self, rng: random.Random) -> dict:
        key, kind = rng.choice(self.questions)
        value = {
            "single": rng.choice("AB"),
            "multiple": ["A", "C"],
            "tf": rng.choice("TF"),
            "fill": ["十五日"],
            "short": "依法行政，权责法定。" * rng.randint(1, 20),
        }[kind]
        return {"q": key, "kind": kind, "r": value, "csrfmiddlewaretoken": self.csrf}


def run_phase(people, seconds: float, interval: float, action) -> tuple[list[float], list[str]]:
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def loop(index, person):
        rng = random.Random(index)
        time.sleep(rng.uniform(0, interval))  # spread the start
        while time.monotonic() < deadline:
            try:
                status, text, elapsed = action(person, rng)
            except Exception as exc:  # noqa: BLE001 - counted and printed
                with lock:
                    errors.append(f"{type(exc).__name__}: {exc}")
            else:
                with lock:
                    latencies.append(elapsed)
                    if status != 200:
                        errors.append(f"{status}: {text[:80]}")
            time.sleep(rng.uniform(0.5 * interval, 1.5 * interval))

    threads = [threading.Thread(target=loop, args=(i, p)) for i, p in enumerate(people)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return latencies, errors


def report(label: str, latencies: list[float], errors: list[str], seconds: float) -> None:
    if not latencies:
        print(f"  {label}: no requests")
        return
    cuts = statistics.quantiles(latencies, n=100)
    print(
        f"  {label:<28} {len(latencies) / seconds:7.1f}/s  n={len(latencies):<6} "
        f"p50 {statistics.median(latencies) * 1000:6.1f} ms  p95 {cuts[94] * 1000:6.1f} ms  "
        f"p99 {cuts[98] * 1000:6.1f} ms  errors {len(errors)}"
    )
    for message in sorted(set(errors))[:5]:
        print(f"      {message}")


def sequential(people) -> int:
    """One request at a time: what a request costs on an idle server (up to 100 of each).
    Returns how many saves the server accepted."""
    accepted = 0
    for label, action in (
        ("sequential floor GET", lambda p, rng: p.request("GET", "/exams/t/")),
        ("sequential save", lambda p, rng: p.request("POST", "/exams/t/save/", p.answer(rng))),
    ):
        rng, times, errors = random.Random(0), [], []
        for person in people[:100]:
            status, text, elapsed = action(person, rng)
            times.append(elapsed)
            if status != 200:
                errors.append(f"{status}: {text[:80]}")
            elif label == "sequential save":
                accepted += 1
        report(label, times, errors, sum(times))
    return accepted


def start_server(args) -> subprocess.Popen:
    gunicorn = str(Path(sys.executable).with_name("gunicorn"))
    command = [
        gunicorn,
        "kaohe.wsgi:application",
        "-b",
        f"127.0.0.1:{args.port}",
        "-w",
        str(args.workers),
        "-k",
        "gthread",
        "--threads",
        str(args.threads),
        "--chdir",
        str(ROOT),
        "--log-level",
        "warning",
    ]
    server = subprocess.Popen(  # noqa: S603 - our own gunicorn, fixed arguments
        command, env={**os.environ, **SERVER_ENV}, start_new_session=True
    )
    for _ in range(100):
        try:
            conn = http.client.HTTPConnection("127.0.0.1", args.port, timeout=2)
            conn.request("GET", "/exams/t/")
            if conn.getresponse().status == 200:
                return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit("gunicorn did not start")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--examinees", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--interval", type=float, default=3)
    parser.add_argument("--port", type=int, default=18210)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    args = parser.parse_args()

    recreate_database()
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    codes = build(args.examinees)
    print(
        f"exams bench: {args.examinees} examinees, one save every ~{args.interval:g} s each for "
        f"{args.seconds:g} s; gunicorn {args.workers}×{args.threads} threads; PostgreSQL {DB_URL}"
    )
    server = start_server(args)
    try:
        people = [Examinee(args.port, code) for code in codes]
        start = time.perf_counter()
        for person in people:
            person.enter()
        print(
            f"  {'entered with codes':<28} {len(people)} in {time.perf_counter() - start:.1f} s (sequential)"
        )
        sequential_saves = sequential(people)
        floor, floor_errors = run_phase(
            people, args.seconds / 2, args.interval, lambda p, rng: p.request("GET", "/exams/t/")
        )
        report("floor: GET code page", floor, floor_errors, args.seconds / 2)
        saves, save_errors = run_phase(
            people,
            args.seconds,
            args.interval,
            lambda p, rng: p.request("POST", "/exams/t/save/", p.answer(rng)),
        )
        report("answer saves", saves, save_errors, args.seconds)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    from django.db.models import Sum

    from kaohe.exams.models import Answer

    stored = Answer.objects.aggregate(n=Sum("saves"))["n"] or 0
    accepted = len(saves) - len(save_errors) + sequential_saves
    print(
        f"  stored save count {stored} = accepted saves {accepted}: {'OK' if stored == accepted else 'MISMATCH'}"
    )
    if save_errors or stored != accepted:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
