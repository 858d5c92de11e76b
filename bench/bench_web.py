"""Benchmark: pages under 50 signed-in users of mixed roles, against the server's own ceiling.

Starts gunicorn (deploy/gunicorn.conf.py, DEBUG off) on loopback against PostgreSQL with the
demo assessment in its public-notice period, signs in 50 users (12 office, 8 team, 30 unit
users), then, for a bounded time each:
1. the ceiling: anonymous GET /login/ with 50 concurrent clients;
2. each page alone with 50 concurrent users who may see it: req/s, p50/p95/p99, errors, and
   its share of the /login/ throughput measured in turns alternating with it (target ≥ 30%,
   p99 < 300 ms, 0 errors);
3. the mixed load: every user walking the pages of their role.

    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_web \
        .venv/bin/python bench/bench_web.py       # BENCH_SECONDS=8 BENCH_PORT=8600
    # BENCH_REDIS_URL=redis://127.0.0.1:6379/N: cache and sessions in Redis, as deployed
"""

import asyncio
import os
import random
import re
import secrets
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DB = os.environ.get("BENCH_DATABASE_URL") or os.environ.get("DATABASE_URL", "")
PORT = int(os.environ.get("BENCH_PORT", "8600"))
SECONDS = float(os.environ.get("BENCH_SECONDS", "8"))
WORKERS = os.environ.get("BENCH_GUNICORN_WORKERS", "4")
AUDIT_KEY = os.environ.get("KAOHE_AUDIT_KEY") or secrets.token_urlsafe(32)
PASSWORD = "Bench-pass-2020!"  # noqa: S105 — a throw-away bench database
USERS = {"office": 12, "team": 8, "unit": 30}


def server_env() -> dict:
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "KAOHE_DEMO", "REDIS_URL"}}
    if os.environ.get("BENCH_REDIS_URL"):  # production-like: cache and sessions in Redis
        env["REDIS_URL"] = os.environ["BENCH_REDIS_URL"]
    env.update(
        DATABASE_URL=DB,
        SECRET_KEY=env.get("SECRET_KEY") or secrets.token_urlsafe(64),
        KAOHE_AUDIT_KEY=AUDIT_KEY,
        ALLOWED_HOSTS="127.0.0.1,localhost",
        KAOHE_HTTPS="0",
        GUNICORN_BIND=f"127.0.0.1:{PORT}",
        GUNICORN_WORKERS=WORKERS,
        GUNICORN_LOGLEVEL="warning",
        # Steady state: no worker is recycled mid-run (deploy/gunicorn.conf.py recycles every
        # ~5,000 requests; a restart is a cold process, seconds of CPU on this 2-core machine).
        GUNICORN_MAX_REQUESTS="0",
        DJANGO_SETTINGS_MODULE="kaohe.settings",
    )
    return env


def prepare() -> dict:
    """Demo data in its public-notice period and the 50 users; returns what to request."""
    os.environ.update(DATABASE_URL=DB, DEBUG="1", KAOHE_DEMO="1", KAOHE_AUDIT_KEY=AUDIT_KEY)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kaohe.settings")
    import django

    django.setup()
    from datetime import date, timedelta

    from django.core.management import call_command

    from kaohe.accounts.choices import Role
    from kaohe.accounts.models import User
    from kaohe.accounts.services import role_assign, user_create
    from kaohe.demo.builder import SCHEME_CODE
    from kaohe.onsite.models import Team
    from kaohe.onsite.services.teams import team_update
    from kaohe.publishing.services import publicity_open, scheme_freeze
    from kaohe.schemes.models import Scheme

    call_command("migrate", verbosity=0, interactive=False)
    call_command("demo", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    scheme = Scheme.objects.get(code=SCHEME_CODE)
    office = User.objects.get(username="office")
    if scheme.status == "active":
        scheme_freeze(scheme=scheme, actor=office)
        today = date.today()
        publicity_open(
            scheme=Scheme.objects.get(pk=scheme.pk),
            start=today,
            end=today + timedelta(days=30),
            actor=office,
        )
    city = scheme.owner_unit
    subjects = list(scheme.subjects.select_related("unit").order_by("order"))
    team = Team.objects.get(scheme=scheme, leader__username="team1")
    plan = {"scheme": scheme.pk, "users": []}

    def user(name, role, unit, subtree):
        found = User.objects.filter(username=name).first()
        if found is None:
            found = user_create(username=name, password=PASSWORD, unit=unit)
            role_assign(user=found, role=role, unit=unit, include_subtree=subtree)
        return found

    for i in range(USERS["office"]):
        user(f"bench-office{i}", Role.OFFICE_ADMIN, city, True)
        plan["users"].append(("office", f"bench-office{i}", None))
    members = [user(f"bench-team{i}", Role.TEAM_MEMBER, city, True) for i in range(USERS["team"])]
    team_update(team=team, leader=team.leader, members=members)
    team_subjects = list(team.visits.values_list("subject_id", flat=True))
    for i in range(USERS["team"]):
        plan["users"].append(("team", f"bench-team{i}", team_subjects))
    for i in range(USERS["unit"]):
        subject = subjects[i % len(subjects)]
        user(f"bench-unit{i}", Role.UNIT_USER, subject.unit, False)
        plan["users"].append(("unit", f"bench-unit{i}", [subject.pk]))
    plan["subjects"] = [s.pk for s in subjects]
    return plan


def pages_for(role: str, scheme: int, own, subjects) -> dict:
    """The pages a user of this role opens (name → list of paths)."""
    pick = own or subjects
    if role == "office":
        return {
            "ranking": [f"/results/{scheme}/"],
            "trace": [f"/results/subject/{s}/" for s in subjects],
            "board": [f"/tasks/schemes/{scheme}/"],
            "subjects": [f"/schemes/{scheme}/subjects/"],
            "dashboard": [f"/publishing/schemes/{scheme}/dashboard/"],
            "score entry": [f"/results/subject/{s}/scores/" for s in subjects],
        }
    if role == "team":
        return {
            "ranking": [f"/results/{scheme}/"],
            "trace": [f"/results/subject/{s}/" for s in pick],
            "score entry": [f"/results/subject/{s}/scores/" for s in pick],
        }
    return {
        "ranking": [f"/results/{scheme}/"],
        "trace": [f"/results/subject/{s}/" for s in pick],
        "my tasks": ["/tasks/"],
    }


async def get(path: str, cookie: str = "") -> tuple[int, float]:
    start = time.perf_counter()
    reader, writer = await asyncio.open_connection("127.0.0.1", PORT)
    head = f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{PORT}\r\nConnection: close\r\n"
    if cookie:
        head += f"Cookie: {cookie}\r\n"
    writer.write((head + "\r\n").encode())
    data = await reader.read(-1)
    writer.close()
    status = int(data[9:12]) if data.startswith(b"HTTP/1.") else 0
    return status, time.perf_counter() - start


def sign_in(username: str) -> str:
    import requests

    session = requests.Session()
    base = f"http://127.0.0.1:{PORT}"
    page = session.get(f"{base}/login/", timeout=30).text
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    session.post(
        f"{base}/login/",
        data={"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token},
        headers={"Referer": f"{base}/login/"},
        timeout=30,
    )
    assert "sessionid" in session.cookies, f"{username} could not sign in"
    return "; ".join(f"{k}={v}" for k, v in session.cookies.items())


async def drive(clients: list[tuple[str, list[str]]], seconds: float) -> list:
    """Each client: (cookie, paths) requested at random until the time is up."""
    records = []
    deadline = time.monotonic() + seconds

    async def one(cookie, paths, tag):
        rng = random.Random(tag)
        while time.monotonic() < deadline:
            name, path = rng.choice(paths)
            try:
                status, elapsed = await get(path, cookie)
            except OSError:
                status, elapsed = 0, 0.0
            records.append((name, status, elapsed))

    await asyncio.gather(*(one(c, p, i) for i, (c, p) in enumerate(clients)))
    return records


async def warm_up(clients, concurrency: int = 50) -> None:
    """Every (cookie, path) once, spread over `concurrency` connections."""
    jobs = [(cookie, path) for cookie, paths in clients for _name, path in paths]

    async def worker():
        while jobs:
            cookie, path = jobs.pop()
            await get(path, cookie)

    await asyncio.gather(*(worker() for _ in range(concurrency)))


def interleaved(clients, login, seconds: float, turns: int = 4) -> tuple[dict, float]:
    """The page for `seconds` and /login/ for half as long, in `turns` alternating turns; rates
    over the time each turn really took (requests in flight at its end included)."""

    def timed(who, length):
        start = time.perf_counter()
        records = asyncio.run(drive(who, length))
        return records, time.perf_counter() - start

    page_records, page_time, login_count, login_time = [], 0.0, 0, 0.0
    for turn in range(turns + 1):
        records, took = timed(login, seconds / turns / 2)
        login_count, login_time = login_count + len(records), login_time + took
        if turn < turns:
            records, took = timed(clients, seconds / turns)
            page_records, page_time = page_records + records, page_time + took
    return summary(page_records, page_time), login_count / login_time


def summary(records, seconds) -> dict:
    times = sorted(r[2] for r in records if r[1] == 200)
    errors = sum(1 for r in records if r[1] != 200)

    def pct(p):
        return times[min(len(times) - 1, int(len(times) * p))] * 1000 if times else 0.0

    return {
        "rps": len(records) / seconds,
        "p50": pct(0.50),
        "p95": pct(0.95),
        "p99": pct(0.99),
        "errors": errors,
        "n": len(records),
        "mean": statistics.mean(times) * 1000 if times else 0.0,
    }


def line(name, s, ceiling=None) -> str:
    share = f"{s['rps'] / ceiling:6.1%} of /login/" if ceiling else " " * 16
    ok = ""
    if ceiling:
        good = s["rps"] / ceiling >= 0.30 and s["p99"] < 300 and s["errors"] == 0
        ok = "  ok" if good else "  BELOW TARGET"
    return (
        f"{name:<12} {s['rps']:7.1f} req/s {share}  p50 {s['p50']:6.1f}  p95 {s['p95']:6.1f}"
        f"  p99 {s['p99']:6.1f} ms  errors {s['errors']}/{s['n']}{ok}"
    )


def main():
    if not DB.startswith("postgres"):
        print("bench_web skipped: it needs PostgreSQL (BENCH_DATABASE_URL=postgres://…)")
        return
    plan = prepare()
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "-v", "0"],
        cwd=ROOT,
        env=server_env(),
        check=True,
    )
    server = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py", "kaohe.wsgi"],
        cwd=ROOT,
        env=server_env(),
        start_new_session=True,
    )
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))  # stop the server on kill too
    try:
        run(plan, server)
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)


def run_wait(server=None) -> None:
    """Wait until the server answers /login/."""
    import requests

    for _ in range(200):
        if server is not None and server.poll() is not None:
            raise SystemExit("the server exited")
        try:
            if requests.get(f"http://127.0.0.1:{PORT}/login/", timeout=2).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.3)
    raise SystemExit("the server did not start")


def run(plan, server=None):
    run_wait(server)
    users = []
    for role, name, own in plan["users"]:
        pages = pages_for(role, plan["scheme"], own, plan["subjects"])
        users.append((role, sign_in(name), pages))
    cache = "Redis (sessions and cache)" if os.environ.get("BENCH_REDIS_URL") else "per-process"
    print(
        f"gunicorn {WORKERS} workers on 127.0.0.1:{PORT}, PostgreSQL, {cache} cache; 50 users "
        f"({USERS}); {SECONDS:.0f} s per phase"
    )
    # Warm-up: each page once per distinct access (office and team users share theirs, each
    # unit user has its own), as a day of use would; the phases then measure the steady state.
    seen, warm = set(), []
    for role, cookie, pages in users:
        todo = []
        for name, paths in pages.items():
            for path in paths:
                key = (cookie if role == "unit" else role, path)
                if key not in seen:
                    seen.add(key)
                    todo.append((name, path))
        warm.append((cookie, todo))
    asyncio.run(warm_up(warm))
    login = [("", [("/login/", "/login/")])] * 50
    ceiling = summary(asyncio.run(drive(login, SECONDS)), SECONDS)
    print(line("/login/", ceiling) + "   ← the ceiling")
    names = ["ranking", "trace", "board", "my tasks", "score entry", "subjects", "dashboard"]
    for page in names:
        able = [(cookie, pages[page]) for _r, cookie, pages in users if page in pages]
        if not able:
            continue
        clients = [(cookie, [(page, p) for p in paths]) for cookie, paths in (able * 50)[:50]]
        # The machine may be shared and its speed drifts (±15% between identical /login/ runs
        # here): the page and /login/ alternate in short turns, and the page's share is taken
        # against the /login/ turns around it.
        result, near = interleaved(clients, login, SECONDS)
        print(line(page, result, near) + f"  (/login/ in the same turns: {near:.0f}/s)")
    mixed = [
        (cookie, [(name, p) for name, paths in pages.items() for p in paths[:5]])
        for _r, cookie, pages in users
    ]
    records = asyncio.run(drive(mixed, SECONDS * 2))
    print(line("mixed", summary(records, SECONDS * 2)) + "   (all 50 users, every role's pages)")


if __name__ == "__main__":
    main()
