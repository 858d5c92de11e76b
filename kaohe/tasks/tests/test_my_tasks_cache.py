""" "My tasks" is cached per set of units under their task stamps: a unit never gets another
unit's list, and every change to a task shows on the next request, whichever cache serves it."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse

from kaohe.accounts.choices import Role
from kaohe.accounts.services import role_assign
from kaohe.tasks import services

from .conftest import upload

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("cache_levels")]


def _mine(user, status: str = "") -> str:
    client = Client()
    client.force_login(user)
    url = reverse("tasks:index") + (f"?status={status}" if status else "")
    response = client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    return page[page.index('id="my-tasks"') : page.index("</table>", page.index('id="my-tasks"'))]


def test_each_unit_gets_its_own_list(world):
    a, b = _mine(world.user_a), _mine(world.user_b)
    name_a, name_b = f"<td>{world.unit_a.name}</td>", f"<td>{world.unit_b.name}</td>"
    assert name_a in a and name_b not in a and name_b in b and name_a not in b
    assert _mine(world.user_a) == a  # served from the cache, still unit A's


def test_a_submission_a_review_and_an_extension_show_at_once(world):
    task = world.task()
    before = _mine(world.user_a)
    services.material_upload(task=task, upload=upload(), actor=world.user_a)
    services.task_submit(task=task, actor=world.user_a)
    submitted = _mine(world.user_a)
    assert submitted != before and "status-submitted" in submitted
    services.task_review(task=task, actor=world.office, accept=False, comment="补充")
    returned = _mine(world.user_a)
    assert returned != submitted
    services.extension_request(
        task=task,
        actor=world.user_a,
        reason="材料较多",
        requested_deadline=task.deadline + timedelta(days=10),
    )
    assert "延期审批中" in _mine(world.user_a) and "延期审批中" not in returned


def test_a_changed_deadline_and_a_new_role_show_at_once(world):
    task = world.task()
    before = _mine(world.user_a)
    later = task.deadline + timedelta(days=30)
    services.task_update(task=task, data={"deadline": later}, actor=world.office)
    assert later.isoformat() in _mine(world.user_a) and later.isoformat() not in before
    role_assign(user=world.user_a, role=Role.UNIT_USER, unit=world.unit_b)
    both = _mine(world.user_a)
    assert f"<td>{world.unit_b.name}</td>" in both and f"<td>{world.unit_a.name}</td>" in both


def test_the_status_filter_is_part_of_the_key(world):
    everything = _mine(world.user_a)
    accepted = _mine(world.user_a, "accepted")
    assert world.report.name in everything and world.report.name not in accepted


def test_two_units_whose_tasks_look_alike_still_get_their_own(world):
    """Tasks made in one instant, for units alike in everything but their name."""
    import time_machine

    from kaohe.accounts.factories import make_user
    from kaohe.common.testing import make_unit
    from kaohe.schemes.services import indicator_create
    from kaohe.tasks.services import tasks_generate

    with time_machine.travel(world.report.deadline - timedelta(days=20), tick=False):
        units = [make_unit(name, parent=world.city) for name in ("甲局", "乙局")]
        indicator_create(
            scheme=world.scheme,
            component=world.scheme.components.get(code="onsite"),
            code="G1",
            name="同一时刻生成的任务",
            max_score=1,
            deadline=world.report.deadline,
            responsible_units=units,
        )
        tasks_generate(scheme=world.scheme, actor=world.office)
        users = [make_user(f"u{i}", role=Role.UNIT_USER, unit=u) for i, u in enumerate(units)]
        first, second = _mine(users[0]), _mine(users[1])
    assert "<td>甲局</td>" in first and "<td>乙局</td>" not in first
    assert "<td>乙局</td>" in second and "<td>甲局</td>" not in second
