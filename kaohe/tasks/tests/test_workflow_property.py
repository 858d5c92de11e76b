"""Any sequence of actions keeps the workflow consistent (Hypothesis).

Invariants: the task's status is the last transition's target; each transition starts where
the previous ended; accepted is final; a refused action changes nothing.
"""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kaohe.tasks import services
from kaohe.tasks.choices import TaskStatus
from kaohe.tasks.reminders import reminders_send

from .conftest import upload

ACTIONS = ["upload", "submit", "accept", "return", "remind_late", "extend", "remove"]


class Rollback(Exception):
    pass


@pytest.mark.django_db
@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.sampled_from(ACTIONS), max_size=10))
def test_any_sequence_keeps_history_consistent(world, actions):
    try:
        with transaction.atomic():
            _run(world, actions)
            raise Rollback
    except Rollback:
        pass


def _run(world, actions):
    task = world.task()
    for action in actions:
        before = (task.status, task.transitions.count())
        try:
            if action == "upload":
                services.material_upload(task=task, upload=upload(), actor=world.user_a)
            elif action == "submit":
                services.task_submit(task=task, actor=world.user_a)
            elif action in ("accept", "return"):
                services.task_review(
                    task=task, actor=world.office, accept=action == "accept", comment="意见"
                )
            elif action == "remind_late":
                reminders_send(today=task.deadline + timedelta(days=1), task_ids=[task.pk])
            elif action == "extend":
                ext = services.extension_request(
                    task=task,
                    actor=world.user_a,
                    reason="r",
                    requested_deadline=task.deadline + timedelta(days=30),
                )
                services.extension_decide(extension=ext, actor=world.office, approve=True)
            elif action == "remove":
                live = task.files.filter(removed=False).first()
                if live:
                    services.material_remove(task_file=live, actor=world.user_a)
        except ValidationError:
            task.refresh_from_db()
            assert (task.status, task.transitions.count()) == before, action
            continue
        task.refresh_from_db()
        if before[0] == TaskStatus.ACCEPTED:
            assert task.status == TaskStatus.ACCEPTED, action
    steps = list(task.transitions.order_by("at", "id").values_list("from_status", "to_status"))
    assert steps[0] == ("", TaskStatus.NOT_STARTED)
    for (_, previous_to), (current_from, _) in zip(steps, steps[1:], strict=False):
        assert current_from == previous_to
    assert steps[-1][1] == task.status
    accepted = [i for i, (_, to) in enumerate(steps) if to == TaskStatus.ACCEPTED]
    assert not accepted or accepted == [len(steps) - 1]
    pending = task.submissions.filter(decision="").count()
    assert pending == (1 if task.status in (TaskStatus.SUBMITTED, TaskStatus.RESUBMITTED) else 0)
