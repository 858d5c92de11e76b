"""Benchmark: 3,000 units × 14 tasks — generation, progress board, "my tasks", export, reminders.

Run:  DEBUG=1 .venv/bin/python bench/bench_tasks.py [--units 3000] [--indicators 14] [--reminders]
Uses a throw-away SQLite file unless BENCH_DATABASE_URL is set (e.g. a scratch PostgreSQL).
Prints timings and query counts; asserts nothing about time.
"""

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
TMP = tempfile.mkdtemp(prefix="kaohe-bench-tasks-")
os.environ["DATABASE_URL"] = (
    os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{TMP}/bench.sqlite3"
)
os.environ.setdefault("KAOHE_DATA_DIR", TMP)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kaohe.settings")
os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def timed(label: str, fn, repeat: int = 1):
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    best, median = min(times), statistics.median(times)
    extra = f"（{repeat} 次，最快 {best * 1000:.0f} ms）" if repeat > 1 else ""
    print(f"  {label:<34} {median * 1000:>9.0f} ms {extra}")
    return result


def page(client: Client, url: str, label: str, repeat: int = 5):
    client.get(url)  # warm up: the first request after sign-in also writes the session
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    timed(f"{label}（{len(ctx.captured_queries)} 次查询）", lambda: client.get(url), repeat)
    return response


def build(units: int, indicators: int):
    from kaohe.accounts.choices import Role
    from kaohe.accounts.services import role_assign, user_create
    from kaohe.orgs.models import Unit, UnitCategory
    from kaohe.orgs.services import unit_create
    from kaohe.schemes.models import Indicator
    from kaohe.schemes.services import indicator_create, scheme_create

    category, _ = UnitCategory.objects.get_or_create(
        code="department", defaults={"name": "市直部门"}
    )
    city = unit_create(name="基准市")
    rows = Unit.objects.bulk_create(
        [Unit(name=f"单位{i:04d}", parent=city, category=category, order=i) for i in range(units)],
        batch_size=1000,
    )
    for unit in rows:
        unit.path = unit.build_path()
    Unit.objects.bulk_update(rows, ["path"], batch_size=1000)
    scheme = scheme_create(code="bench", name="基准方案", year=2026, owner_unit=city)
    onsite = scheme.components.get(code="onsite")
    deadline = timezone.localdate() + timedelta(days=5)
    made = [
        indicator_create(
            scheme=scheme,
            component=onsite,
            code=f"X{n:02d}",
            name=f"指标{n:02d}",
            max_score=5,
            materials="各推荐一家民营企业" if n == 0 else "准备工作报告和相关印证资料",
            deadline=deadline,
        )
        for n in range(indicators)
    ]
    through = Indicator.responsible_units.through
    through.objects.bulk_create(
        [through(indicator_id=i.pk, unit_id=u.pk) for i in made for u in rows], batch_size=5000
    )
    office = user_create(username="office", password=None, unit=city, email="o@example.invalid")
    role_assign(user=office, role=Role.OFFICE_ADMIN, unit=city, include_subtree=True)
    unit_user = user_create(
        username="unit0", password=None, unit=rows[0], email="u@example.invalid"
    )
    role_assign(user=unit_user, role=Role.UNIT_USER, unit=rows[0])
    return scheme, office, unit_user


def spread_statuses(scheme) -> None:
    """Give the board something to count: statuses and 30 days of transitions."""
    from kaohe.tasks.choices import TaskStatus
    from kaohe.tasks.models import Task, TaskTransition

    rng = random.Random(4)
    weights = [
        (TaskStatus.NOT_STARTED, 30),
        (TaskStatus.DRAFT, 10),
        (TaskStatus.SUBMITTED, 15),
        (TaskStatus.RETURNED, 5),
        (TaskStatus.RESUBMITTED, 5),
        (TaskStatus.ACCEPTED, 35),
    ]
    statuses, cum = zip(*weights, strict=True)
    now = timezone.now()
    tasks = list(Task.objects.filter(scheme=scheme).only("pk", "status", "deadline"))
    transitions = []
    for task in tasks:
        task.status = rng.choices(statuses, cum)[0]
        if task.status != TaskStatus.NOT_STARTED:
            at = now - timedelta(days=rng.randint(1, 30))
            transitions.append(
                TaskTransition(
                    task_id=task.pk,
                    from_status="draft",
                    to_status=TaskStatus.SUBMITTED,
                    at=at,
                    on=at.date(),
                )
            )
            if task.status == TaskStatus.ACCEPTED:
                transitions.append(
                    TaskTransition(
                        task_id=task.pk,
                        from_status="submitted",
                        to_status=task.status,
                        at=at + timedelta(days=1),
                        on=(at + timedelta(days=1)).date(),
                    )
                )
    # Overdue is derived: a tenth of the tasks get a deadline in the past.
    past = timezone.localdate() - timedelta(days=3)
    for task in tasks:
        if rng.random() < 0.1:
            task.deadline = past
    Task.objects.bulk_update(tasks, ["status", "deadline"], batch_size=5000)
    TaskTransition.objects.bulk_create(transitions, batch_size=5000)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--units", type=int, default=3000)
    parser.add_argument("--indicators", type=int, default=14)
    parser.add_argument("--reminders", action="store_true", help="也测量首次发送全部下达提醒")
    args = parser.parse_args()

    from kaohe.tasks.models import Task
    from kaohe.tasks.reminders import reminders_send
    from kaohe.tasks.services import tasks_generate

    print(f"数据库：{connection.vendor}（{settings.DATABASES['default']['NAME']}）")
    timed("migrate", lambda: call_command("migrate", verbosity=0))
    scheme, office, unit_user = timed(
        f"构造 {args.units} 个单位 × {args.indicators} 个指标",
        lambda: build(args.units, args.indicators),
    )
    result = timed(
        "tasks_generate（一次生成）", lambda: tasks_generate(scheme=scheme, actor=office)
    )
    print(f"  生成任务 {result.created} 项；再次生成：", end="")
    again = tasks_generate(scheme=scheme, actor=office)
    print(f"新增 {again.created}，已存在 {again.existing}")
    assert Task.objects.filter(scheme=scheme).count() == args.units * args.indicators
    spread_statuses(scheme)

    host = settings.ALLOWED_HOSTS[0] if settings.ALLOWED_HOSTS else "localhost"
    office_client = Client(SERVER_NAME=host)
    office_client.force_login(office)
    unit_client = Client(SERVER_NAME=host)
    unit_client.force_login(unit_user)
    board = reverse("tasks:board", args=[scheme.pk])
    page(office_client, board, "进度看板（全部）")
    page(office_client, board + "?status=returned", "进度看板（按状态筛选+任务列表）")
    page(office_client, board + "?status=overdue", "进度看板（已逾期筛选，按时计算）")
    page(office_client, board + "?unit_name=单位0001", "进度看板（按单位筛选）")
    page(office_client, board + "?export=xlsx", "进度看板 Excel 导出", repeat=3)
    page(unit_client, reverse("tasks:index"), f"我的任务（{args.indicators} 项）")
    task = Task.objects.filter(unit=unit_user.unit).first()
    page(unit_client, reverse("tasks:detail", args=[task.pk]), "任务详情")
    if args.reminders:
        report = timed("send-reminders（首次，全部下达提醒）", reminders_send)
        print(f"  提醒 {report.total} 条；邮件收件人 {report.emails} 个")
        report = timed("send-reminders（再次运行，无新提醒）", reminders_send)
        print(f"  提醒 {report.total} 条")


if __name__ == "__main__":
    main()
