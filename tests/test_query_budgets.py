"""Query budgets on every route (as NetBox's query_counts): each page the URL matrix can open is
opened by its right user at two data sizes — the demo, then the demo grown by more subjects with
scores and results, more notifications and audit events — and its query count must not grow
with the data nor rise above the checked-in baseline `tests/query_counts.json`.

A deliberate change (a new page, a page that now needs one more query) is recorded with
`KAOHE_RECORD_QUERY_COUNTS=1 make test PYTEST_ARGS=tests/test_query_budgets.py`, and the diff
of query_counts.json is reviewed like code.
"""

import json
import os
import random
from decimal import Decimal
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from .matrix import Ctx, resolve_targets
from .test_url_matrix import Clients, _ok

BASELINE = Path(__file__).with_name("query_counts.json")
RECORD = os.environ.get("KAOHE_RECORD_QUERY_COUNTS") == "1"
GROWN_SUBJECTS = 24


def _count(client, url) -> int | None:
    client.get(url)  # warm per-process caches (content types, site settings)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    return len(queries) if _ok(response) else None


def measure(targets, clients) -> dict[str, int]:
    counts = {}
    for target in targets:
        if target.skip or target.problem or not target.url:
            continue
        for name in target.right:
            count = _count(clients[name], target.url)
            if count is not None:
                counts[target.name] = count
                break
    return counts


def grow(ctx) -> None:
    """More of everything a list counts: subjects with scores and results, messages, events."""
    from kaohe.audit.services import audit_record
    from kaohe.common.testing import make_unit
    from kaohe.notifications.services import notify
    from kaohe.schemes.models import ScoreEntry
    from kaohe.schemes.services import subject_enrol
    from kaohe.scoring.services import results_recompute

    rng = random.Random(7)
    scheme = ctx.scheme
    category = ctx.subject.unit.category
    leaves = list(scheme.indicators.filter(children__isnull=True, max_score__isnull=False))
    entries = []
    for n in range(GROWN_SUBJECTS):
        unit = make_unit(f"增补单位{n:02d}", parent=scheme.owner_unit, category=category)
        subject = subject_enrol(scheme=scheme, unit=unit)
        for leaf in leaves:
            if leaf.method in ("entered", "checklist", "derived"):
                value = (leaf.max_score * Decimal(rng.randint(80, 100)) / 100).quantize(
                    Decimal("0.1")
                )
                entries.append(ScoreEntry(subject=subject, indicator=leaf, value=value))
    ScoreEntry.objects.bulk_create(entries)
    results_recompute(scheme=scheme)
    users = list(ctx.users.values())
    for n in range(10):
        notify(users=users, title=f"增补通知{n}")
        audit_record(action="test.grow", actor=users[0], message=str(n))


def fill_pages(ctx) -> None:
    """Long lists already span pages at the small size, so paging is not counted as growth."""
    from kaohe.notifications.services import notify

    for n in range(60):
        notify(users=list(ctx.users.values()), title=f"预置通知{n}")


@pytest.fixture
def matrix(demo, demo_users, settings, tmp_path, monkeypatch):
    from kaohe.accounts import middleware

    # The session's activity time is written at most once a minute; never during a count.
    monkeypatch.setattr(middleware, "TOUCH_EVERY", 10**9)
    settings.MEDIA_ROOT = tmp_path / "media"
    ctx = Ctx(demo, demo_users)
    targets = resolve_targets(ctx)
    fill_pages(ctx)
    return ctx, targets


def test_query_counts_do_not_grow_with_data_and_stay_in_budget(matrix):
    ctx, targets = matrix
    clients = Clients(ctx)
    small = measure(targets, clients)
    grow(ctx)
    large = measure(targets, clients)
    baseline = json.loads(BASELINE.read_text(encoding="utf-8")) if BASELINE.exists() else {}
    if RECORD:
        recorded = {name: max(small.get(name, 0), large[name]) for name in sorted(large)}
        BASELINE.write_text(json.dumps(recorded, indent=1, ensure_ascii=False) + "\n")
        baseline = recorded
    grew = [f"{n}: {small[n]} → {large[n]}" for n in sorted(small) if large.get(n, 0) > small[n]]
    over = [f"{n}: {c} > budget {baseline[n]}" for n, c in large.items() if c > baseline.get(n, c)]
    unrecorded = sorted(set(large) - set(baseline))
    print(f"query budgets: {len(large)} routes measured; largest {max(large.values())} queries")
    assert not grew, "query count grows with the data (N+1?):\n" + "\n".join(grew)
    assert not over, "query count above the recorded budget:\n" + "\n".join(over)
    assert not unrecorded, (
        "routes without a recorded budget (KAOHE_RECORD_QUERY_COUNTS=1): " + ", ".join(unrecorded)
    )
    assert len(large) >= 0.9 * len(baseline), "fewer routes measured than recorded"
