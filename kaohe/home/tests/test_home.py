"""Issue 12 item 13: the home page is a to-do list per role; search; help inside the app."""

import io
import re

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kaohe.accounts.models import User
from kaohe.onsite.models import Visit
from kaohe.tasks.choices import TaskStatus
from kaohe.tasks.models import Task

pytestmark = pytest.mark.django_db


@pytest.fixture
def users(db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("demo", stdout=io.StringIO())
    return {u.username: u for u in User.objects.all()}


def page(user, url, **params):
    client = Client()
    client.force_login(user)
    response = client.get(url, params)
    assert response.status_code == 200, url
    return response.content.decode()


def test_todo_per_role(users):
    task = Task.objects.filter(unit__name="清丰县").first()
    Task.objects.filter(pk=task.pk).update(status=TaskStatus.RETURNED)
    sifaju = Task.objects.filter(unit__name="市司法局").first()
    Task.objects.filter(pk=sifaju.pk).update(status=TaskStatus.SUBMITTED)
    visit = (
        Visit.objects.filter(team__leader=users["team1"]).select_related("subject__unit").first()
    )
    Visit.objects.filter(pk=visit.pk).update(date=timezone.localdate(), time_slot="上午")

    office = page(users["office"], "/")
    assert "考核办待办" in office and "1 项材料待审核" in office
    late = Task.objects.overdue().count()
    assert f"{late} 项任务已逾期" in office and "?status=overdue" in office

    unit = page(users["qingfeng"], "/")
    assert "本单位待办" in unit and "已退回，请修改后重新提交" in unit
    assert f"/tasks/{task.pk}/" in unit and "市司法局" not in unit.split("待办事项")[1]

    team = page(users["team1"], "/")
    assert "考核组待办" in team and f"今天 上午 实地考核：{visit.subject.unit.name}" in team


def test_search_finds_only_what_the_user_sees(users):
    office = page(users["office"], reverse("home:search"), q="清丰")
    assert 'id="found-subjects"' in office and "清丰县" in office
    found = page(users["office"], reverse("home:search"), q="抽查1个下级政府")
    assert "X3.1" in found and found.count("/tasks/") >= 9  # a task per county and zone
    unit = page(users["qingfeng"], reverse("home:search"), q="抽查")
    tasks = re.findall(r'<ul id="found-tasks">(.*?)</ul>', unit, re.S)[0]
    assert "清丰县" in tasks and "濮阳县" not in tasks


def test_help_is_inside_the_app(users):
    index = page(users["qingfeng"], reverse("home:help"))
    assert "任务分解与材料报送" in index
    body = page(users["qingfeng"], reverse("home:help_page", args=["tasks"]))
    assert "<table>" in body and "已逾期不是保存的状态" in body
    assert ".md" not in re.sub(r"<code>.*?</code>", "", body)
    publishing = page(users["office"], reverse("home:help_page", args=["publishing"]))
    assert 'href="/help/notice-format/"' in publishing
    client = Client()
    client.force_login(users["office"])
    assert client.get(reverse("home:help_page", args=["nope"])).status_code == 404
    assert Client().get(reverse("home:help")).status_code == 302  # sign in first


def test_pages_name_their_icon_and_favicon_ico_answers(users):
    body = page(users["qingfeng"], reverse("home:help"))
    assert 'rel="icon" href="/static/kaohe/favicon.svg"' in body
    response = Client().get("/favicon.ico")
    assert response.status_code == 301 and response["Location"] == "/static/kaohe/favicon.svg"


def test_help_guides_are_marked_chinese_and_say_so_in_english(users):
    client = Client()
    client.force_login(users["qingfeng"])
    client.cookies["django_language"] = "en"
    body = client.get(reverse("home:help_page", args=["tasks"])).content.decode()
    assert '<article class="col-lg-9 help-doc" lang="zh-Hans">' in body
    assert 'class="alert alert-info small" lang="en"' in body
    chinese = page(users["qingfeng"], reverse("home:help_page", args=["tasks"]))
    assert "alert-info small" not in chinese
