"""The progress board and "my tasks" cost a fixed number of queries, whatever the data size."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kaohe.accounts.choices import Role
from kaohe.accounts.services import role_assign
from kaohe.common.testing import make_unit
from kaohe.schemes.services import indicator_create
from kaohe.tasks import services
from kaohe.tasks.services import tasks_generate

from .conftest import upload

pytestmark = pytest.mark.django_db

BOARD_QUERIES = (
    12  # incl. session, user, roles, scheme, filter choices, 2 groupings, chart, extensions, bell
)
MY_TASKS_QUERIES = 7  # session, user, roles, tasks, schemes, the bell's unread count, nav unit


def grow(world, units: int, indicators: int, start: int) -> None:
    """More units and indicators, each indicator assigned to every new unit and to unit_a."""
    new_units = [make_unit(f"单位{start + i}", parent=world.city) for i in range(units)]
    onsite = world.scheme.components.get(code="onsite")
    for n in range(indicators):
        indicator_create(
            scheme=world.scheme,
            component=onsite,
            code=f"G{start + n}",
            name=f"指标{start + n}",
            max_score=1,
            deadline=world.report.deadline,
            responsible_units=[*new_units, world.unit_a],
        )
    tasks_generate(scheme=world.scheme, actor=world.office)
    task = world.task()
    if task.status == "not_started":
        services.material_upload(task=task, upload=upload(), actor=world.user_a)
        services.task_submit(task=task, actor=world.user_a)
        services.task_review(task=task, actor=world.office, accept=True)


def count(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_board_and_my_tasks_query_counts_do_not_grow(world, django_assert_num_queries):
    office, unit = Client(), Client()
    office.force_login(world.office)
    unit.force_login(world.user_a)
    board = reverse("tasks:board", args=[world.scheme.pk])
    mine = reverse("tasks:index")
    grow(world, units=2, indicators=2, start=100)
    small = (count(office, board), count(unit, mine))
    grow(world, units=6, indicators=5, start=200)
    assert world.task().unit.tasks.count() >= 9
    with django_assert_num_queries(BOARD_QUERIES):
        office.get(board)
    with django_assert_num_queries(MY_TASKS_QUERIES):
        unit.get(mine)
    assert small == (BOARD_QUERIES, MY_TASKS_QUERIES)


def test_filtered_board_query_count(world, django_assert_num_queries):
    office = Client()
    office.force_login(world.office)
    url = reverse("tasks:board", args=[world.scheme.pk]) + "?status=not_started"
    grow(world, units=3, indicators=3, start=300)
    with django_assert_num_queries(BOARD_QUERIES + 1):  # + the task list under the filter
        office.get(url)


def test_unit_user_with_subtree_sees_children_tasks(world):
    """A county user with subtree rights also sees the tasks of the departments below."""
    role_assign(user=world.user_b, role=Role.UNIT_USER, unit=world.city, include_subtree=True)
    client = Client()
    client.force_login(world.user_b)
    body = client.get(reverse("tasks:index")).content.decode()
    assert "市司法局" in body and "市住建局" in body
