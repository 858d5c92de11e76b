"""The progress board and "my tasks" cost a fixed number of queries, whatever the data size."""

import re

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

# Roles, the bell and the header's unit are cached per viewer (accounts/viewer.py) after the
# first page, so they are not counted here.
BOARD_QUERIES = 10  # session, user, scheme, stamp, filter choices, 2 groupings, chart, extensions
BOARD_CACHED_QUERIES = 4  # session, user, scheme, stamp: the unfiltered board is cached
MY_TASKS_QUERIES = 3  # session, user, tasks (a unit user manages no scheme: no query)


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


def count(client, url, warm: str) -> int:
    client.get(warm)  # the viewer's roles, bell and unit are cached from the first page
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
    filtered = board + "?status=not_started"
    grow(world, units=2, indicators=2, start=100)
    # The warm-up page caches the viewer's roles, and the filtered board the scheme's row.
    small = (count(office, board, warm=filtered), count(unit, mine, warm=mine))
    grow(world, units=6, indicators=5, start=200)
    assert world.task().unit.tasks.count() >= 9
    office.get(mine)
    unit.get(mine)
    office.get(filtered)  # the scheme's row, changed by grow(), is cached
    with django_assert_num_queries(BOARD_QUERIES):
        office.get(board)
    with django_assert_num_queries(BOARD_CACHED_QUERIES):
        office.get(board)
    with django_assert_num_queries(MY_TASKS_QUERIES):
        unit.get(mine)
    assert small == (BOARD_QUERIES, MY_TASKS_QUERIES)


def _tokenless(html: str) -> str:
    return re.sub(r'(csrfmiddlewaretoken" value="|X-CSRFToken": ")[^"]+', "", html)


def test_cached_board_follows_a_task_change(world):
    office = Client()
    office.force_login(world.office)
    board = reverse("tasks:board", args=[world.scheme.pk])
    before = office.get(board).content.decode()
    with CaptureQueriesContext(connection) as ctx:
        again = office.get(board).content.decode()
    assert len(ctx.captured_queries) == BOARD_CACHED_QUERIES and _tokenless(again) == _tokenless(
        before
    )
    task = world.task()
    services.material_upload(task=task, upload=upload(), actor=world.user_a)
    services.task_submit(task=task, actor=world.user_a)
    after = office.get(board).content.decode()
    assert _tokenless(after) != _tokenless(before) and "csrfmiddlewaretoken" in after
    assert "<!--kaohe:csrf-->" not in after


def test_filtered_board_query_count(world, django_assert_num_queries):
    office = Client()
    office.force_login(world.office)
    url = reverse("tasks:board", args=[world.scheme.pk]) + "?status=not_started"
    grow(world, units=3, indicators=3, start=300)
    office.get(url)
    with django_assert_num_queries(BOARD_QUERIES):  # not cached: no stamp, + the task list
        office.get(url)


def test_unit_user_with_subtree_sees_children_tasks(world):
    """A county user with subtree rights also sees the tasks of the departments below."""
    role_assign(user=world.user_b, role=Role.UNIT_USER, unit=world.city, include_subtree=True)
    client = Client()
    client.force_login(world.user_b)
    body = client.get(reverse("tasks:index")).content.decode()
    assert "市司法局" in body and "市住建局" in body
