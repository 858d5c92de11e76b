"""Stamps of cached task pages: one cheap query (compiled once per process, common/cached.py)
naming everything a page shows, so the page's key changes with any change to it."""

from django.db.models import Max, OuterRef

from kaohe.common.cached import latest_and_count, scalar_aggregate, stamp_row, stamp_text
from kaohe.orgs.models import Unit
from kaohe.schemes.models import Indicator, Scheme

from .models import ExtensionRequest, Task, TaskTransition


def _task_activity(outer: str) -> dict:
    """Annotations naming the tasks of one scheme or one unit (`outer`): any change to a task
    saves it or adds a transition; extension requests are made and decided."""
    tasks = Task.objects.filter(**{outer: OuterRef("pk")})
    through_task = {f"task__{outer}": OuterRef("pk")}
    extensions = ExtensionRequest.objects.filter(**through_task)
    return {
        **latest_and_count("t", tasks, outer),
        "moves": scalar_aggregate(
            TaskTransition.objects.filter(**through_task), f"task__{outer}", Max("pk")
        ),
        "x_id": scalar_aggregate(extensions, f"task__{outer}", Max("pk")),
        "x_at": scalar_aggregate(extensions, f"task__{outer}", Max("decided_at")),
    }


ACTIVITY = ("t_at", "t_n", "moves", "x_id", "x_at")


def board_stamp(scheme) -> str:
    """Everything the unfiltered board shows besides the date: the scheme's tasks, extension
    requests, indicators, and its name."""
    return "/".join(map(str, stamp_row("tasks.board", _board_query, scheme.pk)))


def _board_query(scheme_pk: int):
    indicators = Indicator.objects.filter(scheme=OuterRef("pk"))
    return (
        Scheme.objects.filter(pk=scheme_pk)
        .annotate(
            **_task_activity("scheme"),
            i_at=scalar_aggregate(indicators, "scheme", Max("updated_at")),
        )
        .values_list(*ACTIVITY, "i_at", "name")
    )


def unit_tasks_stamp(unit_ids: list[int]) -> str:
    """Everything a list of these units' tasks shows ("my tasks"): their tasks, extension
    requests and the tasks' indicators; one query per unit."""
    return stamp_text([stamp_row("tasks.unit", _unit_query, u) for u in unit_ids])


def _unit_query(unit_id: int):
    tasks = Task.objects.filter(unit=OuterRef("pk"))
    return (
        Unit.objects.filter(pk=unit_id)
        .annotate(
            **_task_activity("unit"),
            i_at=scalar_aggregate(tasks, "unit", Max("indicator__updated_at")),
        )
        .values_list(*ACTIVITY, "i_at")
    )
