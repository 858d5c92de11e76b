"""The per-viewer cache (accounts/viewer.py): roles, bell and unit cached across requests,
never served after they change — however the change is made."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kaohe.accounts.choices import Role
from kaohe.accounts.models import RoleAssignment, User
from kaohe.accounts.services import role_assign, role_revoke
from kaohe.notifications.services import notifications_mark_read, notify
from kaohe.orgs.models import Unit

# Each test runs twice: with the shared cache alone and with a first level per process.
pytestmark = pytest.mark.usefixtures("cache_levels")


def _tables(client, path) -> str:
    """The SQL of one request, less the stamp queries of cached parts (they read the unit row
    to name its tasks: "my tasks", tasks/selectors.py)."""
    with CaptureQueriesContext(connection) as queries:
        client.get(path)
    return " ".join(q["sql"] for q in queries.captured_queries if '"x_at"' not in q["sql"])


@pytest.mark.django_db
def test_roles_bell_and_unit_are_read_once_until_they_change(client, demo, demo_users):
    user = demo_users["qingfeng"]
    client.force_login(user)
    path = reverse("tasks:index")
    header_unit = 'FROM "orgs_unit" WHERE "orgs_unit"."id" ='
    first = _tables(client, path)
    assert "accounts_roleassignment" in first and "notifications_notification" in first
    assert header_unit in first
    again = _tables(client, path)
    for table in ("accounts_roleassignment", "notifications_notification", header_unit):
        assert table not in again, table
    notify(users=[user], title="一条新通知")
    assert "notifications_notification" in _tables(client, path)


@pytest.mark.django_db
def test_a_role_given_or_taken_applies_on_the_next_request(client, demo, demo_users):
    user = demo_users["qingfeng"]
    client.force_login(user)
    board = reverse("tasks:board", args=[demo.pk])
    assert client.get(board).status_code == 404  # cached: a unit user
    assignment = role_assign(user=user, role=Role.OFFICE_ADMIN, unit=demo.owner_unit)
    assert client.get(board).status_code == 200
    role_revoke(assignment=assignment)
    assert client.get(board).status_code == 404
    # Written past the services (admin, shell): the signal replaces the stamp too.
    made = RoleAssignment.objects.create(user=user, role=Role.OFFICE_ADMIN, unit=demo.owner_unit)
    assert client.get(board).status_code == 200
    made.delete()
    assert client.get(board).status_code == 404


@pytest.mark.django_db
def test_bell_follows_notifications_and_reading(client, demo, demo_users):
    user = demo_users["qingfeng"]
    client.force_login(user)
    notifications_mark_read(user=user)
    path = reverse("tasks:index")
    assert 'id="unread-count"' not in client.get(path).content.decode()
    notify(users=[user], title="甲")
    notify(users=[user], title="乙")
    assert 'id="unread-count">2<' in client.get(path).content.decode()
    client.post(reverse("notifications:inbox"))
    assert 'id="unread-count"' not in client.get(path).content.decode()


@pytest.mark.django_db
def test_unit_renamed_shows_in_the_header(client, demo, demo_users):
    user = demo_users["qingfeng"]
    client.force_login(user)
    path = reverse("tasks:index")
    assert "清丰县" in client.get(path).content.decode()
    unit = Unit.objects.get(pk=user.unit_id)
    unit.name = "清丰县人民政府"
    unit.save()
    assert "清丰县人民政府" in client.get(path).content.decode()


@pytest.mark.django_db
def test_a_new_account_never_meets_an_old_entry():
    """Stamps are random: an id reused (SQLite tests roll back) gets a different key."""
    one, two = User.objects.create_user("viewer-a"), User.objects.create_user("viewer-b")
    assert len(one.view_stamp) == 16 and one.view_stamp != two.view_stamp


@pytest.mark.django_db
def test_navigation_bar_cached_per_viewer_with_this_requests_token(client, demo, demo_users):
    from django.test import Client

    user = demo_users["qingfeng"]
    client.force_login(user)
    path = reverse("home:help")
    first = client.get(path).content.decode()
    assert "kaohe-csrf-slot" not in first and 'name="csrfmiddlewaretoken" value="' in first
    other = Client()
    other.force_login(demo_users["office"])
    office_page = other.get(path).content.decode()
    assert "导入导出" in office_page and "导入导出" not in first  # each viewer their own bar
    assert "清丰县 联络员" in first and "清丰县 联络员" not in office_page
    # A role given: the next page's bar shows the office's menu.
    role_assign(user=user, role=Role.OFFICE_ADMIN, unit=demo.owner_unit)
    assert "导入导出" in client.get(path).content.decode()
    # Another session of the same viewer: the cached bar's logout form gets its own token.
    fresh = Client(enforce_csrf_checks=True)
    fresh.force_login(user)
    fresh.get(path)
    page = fresh.get(path).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    assert fresh.post(reverse("logout"), {"csrfmiddlewaretoken": token}).status_code == 302
