"""Concurrent submissions on PostgreSQL: the quota holds, a code is used once, a retried
submission (same idempotency key) counts once. SQLite serialises writers, so PostgreSQL only:
DATABASE_URL=postgres://postgres@127.0.0.1:5432/h_surveys pytest kaohe/surveys/tests/test_concurrency.py
"""

import threading

import pytest
from django.db import connection, connections

from kaohe.surveys.factories import make_setup
from kaohe.surveys.models import Invitation, Response, SurveyTarget
from kaohe.surveys.services.submissions import (
    AlreadyReceived,
    CleanAnswer,
    SubmissionRefused,
    response_submit,
)
from kaohe.surveys.services.surveys import invitations_create

WORKERS = 12


def _need_postgres():
    if connection.vendor != "postgresql":
        pytest.skip(
            "并发提交测试需要 PostgreSQL（DATABASE_URL=postgres://…）；SQLite 的写入本就串行。"
        )


def _race(work, count=WORKERS) -> list[str]:
    barrier = threading.Barrier(count)
    results = [""] * count

    def run(index):
        try:
            barrier.wait(timeout=20)
            work(index)
            results[index] = "saved"
        except AlreadyReceived:
            results[index] = "again"
        except SubmissionRefused as exc:
            results[index] = exc.messages[0]
        except Exception as exc:  # noqa: BLE001 - reported by the assertion
            results[index] = f"error: {exc!r}"
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return results


def _answers(setup):
    return [
        CleanAnswer(setup.rating.pk, setup.rating.choices.first().pk),
        CleanAnswer(setup.single.pk, setup.single.choices.first().pk),
    ]


@pytest.mark.django_db(transaction=True)
def test_quota_holds_under_concurrent_submissions():
    _need_postgres()
    setup = make_setup("race", quota=5)
    target, answers = setup.target, _answers(setup)

    results = _race(
        lambda i: response_submit(
            target=target, answers=answers, idempotency_key=f"key-{i}", device_nonce=f"dev-{i}"
        )
    )
    assert results.count("saved") == 5, results
    assert all(r == "saved" or "已达上限" in r for r in results), results
    assert Response.objects.filter(target=target).count() == 5
    assert SurveyTarget.objects.get(pk=target.pk).answers_count == 5


@pytest.mark.django_db(transaction=True)
def test_one_code_used_concurrently_answers_once():
    _need_postgres()
    setup = make_setup("race2", invitation_only=True)
    [invitation] = invitations_create(
        survey=setup.survey, count=1, actor=setup.office, target=setup.target
    )
    target, answers = setup.target, _answers(setup)
    results = _race(
        lambda i: response_submit(
            target=target,
            answers=answers,
            idempotency_key=f"k{i}",
            device_nonce=None,
            code=invitation.code,
        )
    )
    assert results.count("saved") == 1, results
    assert Response.objects.count() == 1
    assert Invitation.objects.get().used


@pytest.mark.django_db(transaction=True)
def test_same_submission_retried_concurrently_counts_once():
    _need_postgres()
    setup = make_setup("race3")
    target, answers = setup.target, _answers(setup)
    results = _race(
        lambda i: response_submit(
            target=target, answers=answers, idempotency_key="same-key", device_nonce=f"d{i}"
        )
    )
    assert results.count("saved") == 1 and results.count("again") == WORKERS - 1, results
    assert Response.objects.count() == 1
