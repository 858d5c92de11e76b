"""Publishing figures on the seed demo (46 subjects): notice generation, dashboards, an upheld
objection (score change + full recompute), and the query counts of the main pages.

Run: DEBUG=1 .venv/bin/python bench/bench_publishing.py   (uses a throw-away SQLite database)
"""

import os
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ["KAOHE_DATA_DIR"] = tempfile.mkdtemp(prefix="kaohe-bench-")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kaohe.settings")
os.environ.pop("DATABASE_URL", None)
os.environ["ALLOWED_HOSTS"] = "testserver,localhost"
os.environ["EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402


def timed(label, fn, repeat=1):
    start = time.perf_counter()
    for _ in range(repeat):
        value = fn()
    print(f"{label:<52} {(time.perf_counter() - start) / repeat * 1000:8.1f} ms")
    return value


def queries(label, client, url):
    with CaptureQueriesContext(connection) as ctx:
        status = client.get(url).status_code
    print(f"{label:<52} {len(ctx.captured_queries):5d} queries (HTTP {status})")


def main():
    call_command("migrate", verbosity=0)
    from kaohe.accounts.models import User
    from kaohe.demo.builder import build_demo
    from kaohe.publishing import dashboards, services
    from kaohe.publishing.notice_content import notice_prepare
    from kaohe.publishing.notice_docx import build_notice
    from kaohe.schemes.models import Indicator, Subject

    scheme = timed("build_demo (46 subjects)", build_demo)
    office = User.objects.get(username="office")
    unit = User.objects.get(username="qingfeng")
    timed(
        "scheme_freeze (recompute + snapshot)",
        lambda: services.scheme_freeze(scheme=scheme, actor=office),
    )
    today = timezone.localdate()
    timed(
        "publicity_open (notify all units)",
        lambda: services.publicity_open(
            scheme=scheme, start=today, end=today + timedelta(days=5), actor=office
        ),
    )
    notice = notice_prepare(scheme=scheme)
    content = timed("build_notice .docx (mean of 10)", lambda: build_notice(notice), repeat=10)
    print(f"{'notice size':<52} {len(content):8d} bytes")
    timed("office_dashboard (mean of 10)", lambda: dashboards.office_dashboard(scheme), repeat=10)
    subject = Subject.objects.get(scheme=scheme, unit__name="清丰县")
    objection = services.objection_submit(subject=subject, text="bench", actor=unit)
    leaf = Indicator.objects.get(scheme=scheme, code="D1")
    timed(
        "objection_decide upheld (score_set + recompute)",
        lambda: services.objection_decide(
            objection=objection,
            upheld=True,
            new_value=leaf.max_score,
            indicator=leaf,
            decision_text="bench",
            actor=office,
        ),
    )
    client = Client()
    client.force_login(unit)
    queries(
        "unit results page /publishing/subjects/<id>/",
        client,
        f"/publishing/subjects/{subject.pk}/",
    )
    office_client = Client()
    office_client.force_login(office)
    queries("office dashboard page", office_client, f"/publishing/schemes/{scheme.pk}/dashboard/")
    queries("office overview page", office_client, f"/publishing/schemes/{scheme.pk}/")
    queries("rectification list (office)", office_client, f"/rectification/schemes/{scheme.pk}/")


if __name__ == "__main__":
    main()
