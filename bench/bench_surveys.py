"""Benchmark: 500 respondents answer a survey through its public link, against gunicorn +
PostgreSQL on loopback, within a minute (bounded: 500 respondents, 60 s, 10 s per request).

Run:  .venv/bin/python bench/bench_surveys.py [--respondents 500] [--concurrency 16]
Env:  BENCH_PG (default postgres://postgres@127.0.0.1:5432), BENCH_PORT (default 18301),
      BENCH_REDIS_URL (optional, e.g. redis://127.0.0.1:6379/3).
A scratch database kaohe_bench_surveys is created and dropped. Prints submissions per second,
p50/p95/p99, errors (must be 0), the survey page weight, and beside them a floor measured in the
same run: the same number of GETs of the (one-query) thanks page at the same concurrency.
The per-address limit is set out of reach (every request comes from 127.0.0.1) but still counted.
"""

import argparse
import gzip
import http.cookiejar
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432").rstrip("/")
DB_NAME = "kaohe_bench_surveys"
PORT = int(os.environ.get("BENCH_PORT", "18301"))
TMP = tempfile.mkdtemp(prefix="kaohe-bench-surveys-")
ENV = {
    **os.environ,
    "DATABASE_URL": f"{PG}/{DB_NAME}",
    "KAOHE_DATA_DIR": TMP,
    "DJANGO_SETTINGS_MODULE": "kaohe.settings",
    "SECRET_KEY": "bench-" + "x" * 60,
    "ALLOWED_HOSTS": "127.0.0.1",
    "KAOHE_HTTPS": "0",
    "KAOHE_SERVING": "1",
    "KAOHE_SURVEY_RATE_PER_HOUR": "1000000",  # counted (exercises the cache), never reached
    "DEBUG": "",
}
if os.environ.get("BENCH_REDIS_URL"):
    ENV["REDIS_URL"] = os.environ["BENCH_REDIS_URL"]
else:
    ENV.pop("REDIS_URL", None)
BASE = f"http://127.0.0.1:{PORT}"
DEADLINE_SECONDS = 60
TIMEOUT = 10


def pg_admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        conn.execute(sql)


def manage(*args) -> None:
    subprocess.run(  # noqa: S603 - fixed arguments
        [sys.executable, str(ROOT / "manage.py"), *args],
        env=ENV,
        check=True,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
    )


def build(subjects: int) -> list[str]:
    """A scheme with one open survey over `subjects` units; returns the public link tokens."""
    code = f"""
import django; django.setup()
from kaohe.surveys.factories import make_setup
from kaohe.schemes.services import subject_enrol
from kaohe.common.testing import make_unit
setup = make_setup("bench")
# The demo's forum questionnaire (9 questions, 6 ratings): a realistic page.
from kaohe.surveys.demo import FORUM_QUESTIONS
from kaohe.surveys.models import Questionnaire
from kaohe.surveys.services.questionnaires import fill_questions
forum = Questionnaire.objects.create(scheme=setup.scheme, title="民营企业家座谈会满意度问卷", kind="forum")
fill_questions(forum, FORUM_QUESTIONS)
setup.survey.questionnaire = forum
setup.survey.save()
category = setup.subjects[0].unit_category
for i in range({subjects} - 2):
    subject = subject_enrol(scheme=setup.scheme, unit=make_unit(f"基准单位{{i}}", parent=setup.scheme.owner_unit, category=category))
    from kaohe.surveys.models import SurveyTarget
    from kaohe.surveys.services.surveys import new_token
    SurveyTarget.objects.create(survey=setup.survey, subject=subject, token=new_token())
print(" ".join(t.token for t in setup.survey.targets.all()))
"""
    out = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code], env=ENV, check=True, cwd=ROOT, capture_output=True, text=True
    )
    return out.stdout.split()


class Session:
    """One respondent: own cookie jar (device token, CSRF cookie)."""

    def __init__(self):
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), NoRedirect()
        )

    def get(self, path: str, headers=None):
        request = urllib.request.Request(BASE + path, headers=headers or {})  # noqa: S310
        with self.opener.open(request, timeout=TIMEOUT) as response:
            return response.status, response.read(), dict(response.headers)

    def post(self, path: str, data: dict):
        body = urllib.parse.urlencode(data, doseq=True).encode()
        request = urllib.request.Request(BASE + path, data=body, method="POST")  # noqa: S310
        try:
            with self.opener.open(request, timeout=TIMEOUT) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


FIELD = re.compile(r'name="(q\d+)" value="(\d+)"')


def respond(token: str, started: float) -> tuple[float | None, str]:
    """GET the page, POST answers; (POST latency, error or '')."""
    if time.monotonic() - started > DEADLINE_SECONDS:
        return None, "deadline"
    session = Session()
    try:
        status, html, _ = session.get(f"/s/{token}/")
        text = html.decode()
        first = {}
        for name, value in FIELD.findall(text):
            first.setdefault(name, value)  # the first option of each choice question
        data = {
            "csrfmiddlewaretoken": re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', text)[
                1
            ],
            "idem": re.search(r'name="idem" value="([^"]+)"', text)[1],
            **first,
        }
        begin = time.perf_counter()
        code = session.post(f"/s/{token}/", data)
        elapsed = time.perf_counter() - begin
    except Exception as exc:  # noqa: BLE001 - counted as an error
        return None, repr(exc)
    return elapsed, "" if code == 302 else f"HTTP {code}"


def percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def weight(token: str) -> None:
    session = Session()
    _, html, _ = session.get(f"/s/{token}/")
    assets = re.findall(r'(?:href|src)="(/static/[^"]+)"', html.decode())
    raw, packed = len(html), len(gzip.compress(html))
    for url in assets:
        _, body, headers = session.get(url, {"Accept-Encoding": "gzip"})
        packed += len(body)
        raw += (
            len(gzip.decompress(body)) if headers.get("Content-Encoding") == "gzip" else len(body)
        )
    print(
        f"  答题页大小: HTML {len(html) / 1024:.1f} KB + {len(assets)} 个静态文件；"
        f"合计 {raw / 1024:.1f} KB，压缩传输 {packed / 1024:.1f} KB"
        f"（2G 约 250 kbit/s 下约 {packed * 8 / 250_000:.2f} s）"
    )


def run(label, fn, tokens, concurrency):
    started = time.monotonic()
    wall = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        results = list(pool.map(lambda t: fn(t, started), tokens))
    wall = time.perf_counter() - wall
    latencies = [r[0] for r in results if r[0] is not None and not r[1]]
    errors = [r[1] for r in results if r[1]]
    print(
        f"  {label:<20} {len(latencies) / wall:7.1f} /s  p50 {statistics.median(latencies) * 1000:6.0f} ms"
        f"  p95 {percentile(latencies, 95) * 1000:6.0f} ms  p99 {percentile(latencies, 99) * 1000:6.0f} ms"
        f"  错误 {len(errors)}  用时 {wall:.1f} s"
    )
    if errors:
        print("    例：", errors[:3])
    return len(errors)


def floor_get(token: str, started: float):
    begin = time.perf_counter()
    try:
        status, _, _ = Session().get(f"/s/{token}/thanks/")
    except Exception as exc:  # noqa: BLE001
        return None, repr(exc)
    return time.perf_counter() - begin, "" if status == 200 else f"HTTP {status}"


def start_server(workers: int, token: str):
    server = subprocess.Popen(  # noqa: S603
        [
            sys.executable,
            "-m",
            "gunicorn",
            "kaohe.wsgi",
            "-b",
            f"127.0.0.1:{PORT}",
            "-w",
            str(workers),
            "--timeout",
            "30",
        ],
        env=ENV,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(100):
        try:
            Session().get(f"/s/{token}/thanks/")
            break
        except Exception:  # noqa: BLE001 - not up yet
            time.sleep(0.2)
    return server


def stored_counts() -> list[str]:
    code = (
        "import django; django.setup(); from kaohe.surveys.models import Response, SurveyTarget; "
        "from django.db.models import Sum; print(Response.objects.count(), "
        "SurveyTarget.objects.aggregate(n=Sum('answers_count'))['n'])"
    )
    return subprocess.run(  # noqa: S603
        [sys.executable, "-c", code], env=ENV, cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()


def measure(args, tokens) -> int:
    print(
        f"满意度调查基准：{args.respondents} 名答题人，{args.subjects} 个单位，"
        f"并发 {args.concurrency}，gunicorn {args.workers} 进程，PostgreSQL，"
        f"计数缓存 {'Redis' if 'REDIS_URL' in ENV else '数据库缓存表'}"
    )
    weight(tokens[0])
    sample = [tokens[i % len(tokens)] for i in range(args.respondents)]
    run("基准：打开感谢页", floor_get, sample, args.concurrency)
    errors = run("打开问卷并提交", respond, sample, args.concurrency)
    count, counters = stored_counts()
    print(f"  数据库中答卷 {count} 份，计数器合计 {counters}（应为 {args.respondents - errors}）")
    return 1 if errors or int(count) != args.respondents else 0


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--respondents", type=int, default=500)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--subjects", type=int, default=10)
    parser.add_argument("--workers", type=int, default=3)
    args = parser.parse_args()
    try:
        pg_admin(f"DROP DATABASE IF EXISTS {DB_NAME}")
        pg_admin(f"CREATE DATABASE {DB_NAME}")
    except Exception as exc:  # noqa: BLE001
        print(f"跳过：无法连接 PostgreSQL（{PG}）：{exc}")
        return 0
    server = None
    try:
        manage("migrate", "--noinput")
        manage("collectstatic", "--noinput")
        tokens = build(args.subjects)
        server = start_server(args.workers, tokens[0])
        return measure(args, tokens)
    finally:
        if server is not None:
            server.send_signal(signal.SIGTERM)
            server.wait(20)
        try:
            pg_admin(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
        finally:
            shutil.rmtree(TMP, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
