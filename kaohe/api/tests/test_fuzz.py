"""Schemathesis against the OpenAPI schema, in-process (WSGI): every operation, valid and
invalid inputs, random ids and the demo's real ones. No 500, every response matches the
schema (status, content type, body), and a refused request writes nothing.

KAOHE_FUZZ_EXAMPLES (default 8) examples per operation and mode; raise it for a long run.
"""

import os

import pytest
import schemathesis
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from kaohe.api.services import token_create
from kaohe.audit.models import AuditEvent
from kaohe.schemes.models import ScoreEntry
from kaohe.tasks.models import FileVersion

EXAMPLES = int(os.environ.get("KAOHE_FUZZ_EXAMPLES", "8"))
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


def _state():
    """Everything a write could change (access events are records of refusals, not writes)."""
    return (
        list(ScoreEntry.objects.order_by("pk").values_list("pk", "value", "note", "version")),
        FileVersion.objects.count(),
        AuditEvent.objects.exclude(action__startswith="access.").count(),
    )


def _real_ids(demo) -> dict:
    from kaohe.tasks.services import tasks_generate

    tasks_generate(scheme=demo)
    subject = demo.subjects.order_by("pk").first()
    leaf = demo.indicators.filter(children__isnull=True).order_by("pk").first()
    return {
        "scheme_id": demo.pk,
        "subject_id": subject.pk,
        "indicator_id": leaf.pk,
        "unit_id": subject.unit_id,
        "task_id": demo.tasks.order_by("pk").first().pk,
    }


@pytest.fixture
def api_schema(db):
    """The schema, loaded from the WSGI application that every case is then sent to.

    As Django's test client does, the requests keep the test's database connection (the
    handler would otherwise close it at the end of each request, on PostgreSQL).
    """
    from django.core import signals
    from django.db import close_old_connections

    from kaohe.wsgi import application

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


def test_fuzz_every_operation(api_schema, demo, demo_users, settings, tmp_path):
    settings.KAOHE_API_RATE = "1000000/m"  # the fuzzer is one token; the limit is tested apart
    settings.MEDIA_ROOT = tmp_path / "media"
    _token, secret = token_create(user=demo_users["office"], name="fuzz", scope="write")
    headers = {"Authorization": f"Bearer {secret}"}
    real = _real_ids(demo)
    counts = {"cases": 0, "operations": 0}
    for result in api_schema.get_all_operations():
        operation = result.ok()
        names = [p.name for p in operation.path_parameters]
        fixed = {n: real[n] for n in names if n in real}
        strategies = []
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            strategies.append(operation.as_strategy(generation_mode=mode))
            if fixed:
                strategies.append(
                    operation.as_strategy(generation_mode=mode, path_parameters=fixed)
                )
        counts["operations"] += 1

        @hypothesis_settings(
            max_examples=EXAMPLES * len(strategies),
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(case=st.one_of(strategies))
        def run(case):
            counts["cases"] += 1
            before = _state()
            response = case.call(headers=headers)
            case.validate_response(response, checks=CHECKS)
            if response.status_code >= 400:
                assert _state() == before, f"partial write on {response.status_code}: {case}"

        run()
    print(f"fuzz: {counts['cases']} cases over {counts['operations']} operations")
    assert counts["operations"] >= 20
