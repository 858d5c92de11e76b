"""Overdue is derived, never stored: the one definition every page, export and reminder uses.

A task is overdue on a day when its deadline (an approved extension moves `Task.deadline`)
is before that day and the unit has not handed anything in: its status is still 未开始,
草稿 or 已退回. Submitted, resubmitted and accepted tasks are never overdue.
"""

from datetime import date

from django.db.models import BooleanField, Case, CharField, F, Q, Value, When
from django.utils import timezone

from .choices import OVERDUE_FROM, TaskState


def overdue_q(today: date | None = None, prefix: str = "") -> Q:
    """The database form of the rule (for filters, counts and annotations)."""
    today = today or timezone.localdate()
    return Q(**{f"{prefix}deadline__lt": today, f"{prefix}status__in": OVERDUE_FROM})


def is_overdue(task, today: date | None = None) -> bool:
    """The same rule on one loaded task."""
    today = today or timezone.localdate()
    return task.deadline < today and task.status in OVERDUE_FROM


def state_of(task, today: date | None = None) -> str:
    return TaskState.OVERDUE if is_overdue(task, today) else task.status


def state_annotations(today: date | None = None) -> dict:
    """`is_overdue` and `state` (the status, or "overdue") as queryset annotations."""
    late = overdue_q(today)
    return {
        "is_overdue": Case(
            When(late, then=Value(True)), default=Value(False), output_field=BooleanField()
        ),
        "state": Case(
            When(late, then=Value(TaskState.OVERDUE.value)),
            default=F("status"),
            output_field=CharField(),
        ),
    }
