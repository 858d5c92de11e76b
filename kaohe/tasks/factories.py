"""Test factories for tasks: a task exists because an indicator names its responsible unit."""

from .models import Task
from .services import tasks_generate


def make_task(scheme, indicator, unit, *, actor=None) -> Task:
    indicator.responsible_units.add(unit)
    tasks_generate(scheme=scheme, actor=actor)
    return Task.objects.get(scheme=scheme, indicator=indicator, unit=unit)
