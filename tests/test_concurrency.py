"""Two people save the same score at once: one wins, the other is told (never a lost update).

Needs real concurrent transactions, so it runs on PostgreSQL only (SQLite serialises writers
on one file lock and the test database is in memory per connection).
"""

import threading
from decimal import Decimal

import pytest
from django.db import connection

from kaohe.audit.models import AuditEvent
from kaohe.audit.services import audit_verify


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_one_wins_one_conflicts():
    if connection.vendor != "postgresql":
        pytest.skip(
            "并发写入测试需要 PostgreSQL（DATABASE_URL=postgres://…）；SQLite 的写入本就串行。"
        )
    from django.db import connections

    from kaohe.common.testing import make_category, make_scheme, make_unit
    from kaohe.schemes.models import ScoreEntry
    from kaohe.schemes.services import subject_enrol
    from kaohe.scoring.services import ScoreConflict, score_set

    category = make_category()
    scheme = make_scheme("race", categories=[category])
    unit = make_unit("并发县", parent=scheme.owner_unit, category=category)
    subject = subject_enrol(scheme=scheme, unit=unit)
    leaf = scheme.indicators.get(code="D1")
    score_set(subject=subject, indicator=leaf, value=Decimal("50"))
    version = ScoreEntry.objects.get(subject=subject, indicator=leaf).version

    rounds = 10
    outcomes = []
    for round_no in range(rounds):
        barrier = threading.Barrier(2)
        results: dict[str, str] = {}

        def writer(name, value, barrier=barrier, results=results, expected=version):
            try:
                barrier.wait(timeout=10)
                score_set(
                    subject=subject,
                    indicator=leaf,
                    value=Decimal(value),
                    expected_version=expected,
                )
                results[name] = "saved"
            except ScoreConflict:
                results[name] = "conflict"
            except Exception as exc:  # noqa: BLE001 - reported below
                results[name] = f"error: {exc!r}"
            finally:
                connections.close_all()

        threads = [
            threading.Thread(target=writer, args=("a", f"{60 + round_no}")),
            threading.Thread(target=writer, args=("b", f"{70 + round_no}")),
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join(30)
        assert sorted(results.values()) == ["conflict", "saved"], results
        entry = ScoreEntry.objects.get(subject=subject, indicator=leaf)
        winner = "a" if results["a"] == "saved" else "b"
        assert entry.value == Decimal(f"{(60 if winner == 'a' else 70) + round_no}")
        assert entry.version == version + 1
        version = entry.version
        outcomes.append(winner)
    assert len(outcomes) == rounds
    # Exactly one audit event per successful save, and the chain did not fork.
    assert (
        AuditEvent.objects.filter(action="score.set", object_id=str(entry.pk)).count() == rounds + 1
    )
    assert audit_verify().ok
