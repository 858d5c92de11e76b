"""The one inbox: every app's messages in one list, one bell, only one's own, read on POST."""

import pytest
from django.core import mail
from django.db import transaction
from django.test import Client

from kaohe.common.testing import make_unit, make_user
from kaohe.notifications.models import Notification
from kaohe.notifications.selectors import unread_count
from kaohe.notifications.services import notifications_mark_read, notify, notify_many

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    unit = make_unit("清丰县")
    return make_user("alice", role="unit_user", unit=unit), make_user(
        "bob", role="unit_user", unit=unit
    )


def test_notify_writes_one_row_per_user_and_mails_after_commit(people, settings):
    alice, bob = people
    alice.email = "alice@example.gov.cn"
    alice.save()
    with transaction.atomic():
        assert notify(users=[alice, bob, alice], title="公示开始", body="请查看", url="/x/") == 2
        assert mail.outbox == []  # nothing is sent before the commit
    assert Notification.objects.filter(title="公示开始").count() == 2


def test_rolled_back_action_leaves_no_notification(people):
    alice, _ = people
    with pytest.raises(RuntimeError), transaction.atomic():
        notify(users=[alice], title="不会留下")
        raise RuntimeError
    assert not Notification.objects.exists()


def test_bell_page_and_mark_read_are_per_user(people):
    alice, bob = people
    notify_many([(alice, "提醒一", "", "/tasks/1/"), (bob, "给别人的", "", "")])
    client = Client()
    client.force_login(alice)
    page = client.get("/notifications/").content.decode()
    assert "提醒一" in page and "给别人的" not in page and 'href="/tasks/1/"' in page
    assert 'id="unread-count"' in client.get("/notifications/").content.decode()
    client.get("/notifications/")  # reading the page is not marking read (no change on GET)
    assert unread_count(alice) == 1
    client.post("/notifications/")
    assert unread_count(alice) == 0 and unread_count(bob) == 1


def test_mark_read_never_touches_another_users_ids(people):
    alice, bob = people
    notify(users=[bob], title="bob 的")
    ids = list(Notification.objects.values_list("pk", flat=True))
    assert notifications_mark_read(user=alice, ids=ids) == 0
    assert unread_count(bob) == 1


def test_anonymous_is_sent_to_login():
    response = Client().get("/notifications/")
    assert response.status_code == 302 and "/login/" in response["Location"]
