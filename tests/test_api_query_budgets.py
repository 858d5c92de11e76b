"""Query budgets of every REST API operation (as tests/test_query_budgets.py for the pages):
each operation of the OpenAPI schema is called by its right user's token at two data sizes —
the demo, then the demo grown (more subjects with scores and results, more audit events, more
survey subjects, test sittings and examinees) — and its query count must not grow with the
data nor rise above the checked-in baseline `tests/api_query_counts.json`. Lists are read with
the largest page (limit=500), so one query per row shows as growth.

Record a deliberate change with
`KAOHE_RECORD_QUERY_COUNTS=1 pytest tests/test_api_query_budgets.py` and review the diff.
"""

import json
import os

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from .api_matrix import BODIES, RIGHT, api_targets
from .matrix import Ctx
from .test_api_matrix import Tokens
from .test_query_budgets import grow

BASELINE = os.path.join(os.path.dirname(__file__), "api_query_counts.json")
RECORD = os.environ.get("KAOHE_RECORD_QUERY_COUNTS") == "1"


def _name(target) -> str:
    return f"{target.method.upper()} {target.path}"


def _listed(target) -> bool:
    from kaohe.api.api import api

    operation = api.get_openapi_schema()["paths"][target.path][target.method]
    return any(p["name"] == "limit" for p in operation.get("parameters", []))


def _call(client, target, ctx):
    kwargs = BODIES[(target.method, target.path)](ctx) if target.write else {}
    url = f"{target.url}?limit=500" if _listed(target) else target.url
    return getattr(client, target.method)(url, **kwargs)


def measure(targets, tokens, ctx) -> dict[str, int]:
    counts = {}
    for target in targets:
        client = tokens(RIGHT.get((target.method, target.path), "office"))
        _call(client, target, ctx)  # warm per-process caches; a write's first-time work
        with CaptureQueriesContext(connection) as queries:
            response = _call(client, target, ctx)
        assert 200 <= response.status_code < 300, (_name(target), response.content[:300])
        counts[_name(target)] = len(queries)
    return counts


def grow_api(ctx) -> None:
    """More of every list the API has beyond what `grow` adds: survey subjects, test sittings
    and examinees, tasks, draws, deductions, people."""
    from datetime import date
    from decimal import Decimal

    from kaohe.onsite import populations
    from kaohe.onsite.services import draws
    from kaohe.onsite.services.deductions import deduction_record, penalty_leaves
    from kaohe.orgs.services import person_create
    from kaohe.surveys.models import Survey, SurveyTarget
    from kaohe.surveys.services.surveys import new_token
    from kaohe.tasks.models import Task

    from .matrix import exams_sittings

    for survey in Survey.objects.filter(scheme=ctx.scheme):
        have = set(survey.targets.values_list("subject_id", flat=True))
        SurveyTarget.objects.bulk_create(
            SurveyTarget(survey=survey, subject=s, token=new_token())
            for s in ctx.scheme.subjects.exclude(pk__in=have)
        )
    exams_sittings(ctx)  # three more sittings of the same subject, with their examinees
    leaves = list(ctx.scheme.indicators.filter(children__isnull=True).order_by("pk")[:3])
    Task.objects.bulk_create(
        Task(scheme=ctx.scheme, indicator=leaf, unit=s.unit, deadline=date(2030, 12, 31))
        for s in ctx.scheme.subjects.filter(unit__name__startswith="增补单位")
        for leaf in leaves
    )
    for n in range(3):
        draws.draw_prepare(
            subject=ctx.subject,
            title=f"增补抽取{n}",
            members=populations.from_text("甲\n乙\n丙"),
            rule={"count_min": 1},
        )
        deduction_record(
            subject=ctx.subject,
            indicator=penalty_leaves(ctx.scheme).first(),
            points=Decimal("0.1"),
            reason=f"增补扣分{n}",
            actor=ctx.users["team1"],
        )
        person_create(unit=ctx.subject.unit, name=f"增补人员{n}", level="middle")


@pytest.fixture
def api_ctx(demo, demo_users, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.KAOHE_API_RATE = "100000/m"
    cache.clear()
    ctx = Ctx(demo, demo_users)
    assert not ctx.build_errors, ctx.build_errors
    return ctx


def test_api_query_counts_do_not_grow_with_data_and_stay_in_budget(api_ctx):
    ctx = api_ctx
    targets = [t for t in api_targets(ctx) if not t.problem]
    tokens = Tokens(ctx)
    small = measure(targets, tokens, ctx)
    grow(ctx)
    grow_api(ctx)
    large = measure(targets, tokens, ctx)
    baseline = {}
    if os.path.exists(BASELINE):
        with open(BASELINE, encoding="utf-8") as f:
            baseline = json.load(f)
    if RECORD:
        baseline = {name: max(small[name], large[name]) for name in sorted(large)}
        with open(BASELINE, "w", encoding="utf-8") as f:
            f.write(json.dumps(baseline, indent=1, ensure_ascii=False) + "\n")
    grew = [f"{n}: {small[n]} → {large[n]}" for n in sorted(small) if large[n] > small[n]]
    over = [f"{n}: {c} > budget {baseline[n]}" for n, c in large.items() if c > baseline.get(n, c)]
    unrecorded = sorted(set(large) - set(baseline))
    print(f"API query budgets: {len(large)} operations; largest {max(large.values())} queries")
    print("\n".join(f"  {n}: {small[n]} / {large[n]}" for n in sorted(large)))
    assert len(large) == len(api_targets(ctx)), "an operation could not be measured"
    assert not grew, "query count grows with the data (N+1?):\n" + "\n".join(grew)
    assert not over, "query count above the recorded budget:\n" + "\n".join(over)
    assert not unrecorded, "operations without a budget (KAOHE_RECORD_QUERY_COUNTS=1): " + (
        ", ".join(unrecorded)
    )
