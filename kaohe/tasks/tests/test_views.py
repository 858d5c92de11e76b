"""HTTP: each page for anonymous, wrong-unit and right-unit users; files never cross units."""

from datetime import timedelta
from io import BytesIO

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from kaohe.accounts.choices import Role
from kaohe.common.testing import assert_view_access, make_user
from kaohe.tasks import services
from kaohe.tasks.choices import TaskStatus
from kaohe.tasks.models import FileVersion, Task

from .conftest import PDF, PNG, upload

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def uploaded(world):
    """unit_a has a file on its report task; unit_b has one on its own."""
    a = services.material_upload(
        task=world.task(), upload=upload("司法局报告.pdf"), actor=world.user_a
    )
    b = services.material_upload(
        task=world.task(unit=world.unit_b), upload=upload("住建局.png", PNG), actor=world.user_b
    )
    return a, b


def test_my_tasks_lists_only_own_units_tasks(world):
    response = client_for(world.user_a).get(reverse("tasks:index"))
    body = response.content.decode()
    assert response.status_code == 200
    assert body.count("市司法局") >= 2 and "市住建局" not in body
    assert "剩余天数" in body
    response = client_for(world.user_b).get(reverse("tasks:index"), {"status": "accepted"})
    assert "暂无任务" in response.content.decode()


def test_task_detail_access(world):
    url = reverse("tasks:detail", args=[world.task().pk])
    assert_view_access(url, allowed=[world.office, world.team, world.user_a], denied=[world.user_b])
    assert client_for(world.user_a).get(reverse("tasks:detail", args=[999999])).status_code == 404


def test_download_only_for_own_unit_even_with_guessed_ids(world, uploaded):
    mine, theirs = uploaded
    url = reverse("tasks:download", args=[mine.pk])
    assert_view_access(url, allowed=[world.office, world.team, world.user_a], denied=[world.user_b])
    response = client_for(world.user_a).get(url)
    assert response["Content-Disposition"].startswith("attachment;")
    assert b"".join(response.streaming_content) == PDF
    client_b = client_for(world.user_b)
    for pk in range(1, FileVersion.objects.order_by("-pk").first().pk + 5):
        status = client_b.get(reverse("tasks:download", args=[pk])).status_code
        assert status == (200 if pk == theirs.pk else 404), pk
    # the stored name is random and not under a served URL
    assert "司法局报告" not in mine.file.name and mine.file.name.startswith("tasks/")


def test_other_unit_cannot_replace_remove_or_submit(world, uploaded):
    mine, _ = uploaded
    task = world.task()
    client_b = client_for(world.user_b)
    data = {"files": upload("x.pdf"), "replace": mine.task_file_id}
    assert client_b.post(reverse("tasks:upload", args=[task.pk]), data).status_code == 404
    # their own task, but our file id
    own = world.task(unit=world.unit_b)
    client_b.post(
        reverse("tasks:upload", args=[own.pk]),
        {"files": upload("x.pdf"), "replace": mine.task_file_id},
    )
    assert mine.task_file.versions.count() == 1
    assert client_b.post(reverse("tasks:remove_file", args=[mine.task_file_id])).status_code == 404
    assert client_b.post(reverse("tasks:submit", args=[task.pk])).status_code == 404
    assert client_b.post(reverse("tasks:extension", args=[task.pk]), {}).status_code == 404
    assert client_b.post(reverse("tasks:nominees", args=[task.pk]), {}).status_code == 404


def test_unit_uploads_several_files_and_submits(world):
    task = world.task()
    client = client_for(world.user_a)
    response = client.post(
        reverse("tasks:upload", args=[task.pk]), {"files": [upload("1.pdf"), upload("2.png", PNG)]}
    )
    assert response.status_code == 302
    assert FileVersion.objects.filter(task_file__task=task).count() == 2
    response = client.post(
        reverse("tasks:upload", args=[task.pk]), {"files": [upload("x.pdf", b"hello")]}, follow=True
    )
    assert "类型不允许" in response.content.decode()
    client.post(reverse("tasks:submit", args=[task.pk]), {"description": "请审核"})
    task.refresh_from_db()
    assert task.status == TaskStatus.SUBMITTED and task.note == "请审核"


def test_review_only_by_office(world, uploaded):
    task = world.task()
    services.task_submit(task=task, actor=world.user_a)
    url = reverse("tasks:review", args=[task.pk])
    for user in (world.user_a, world.user_b, world.team):
        assert client_for(user).post(url, {"decision": "accept"}).status_code == 404
    response = client_for(world.office).post(
        url, {"decision": "return", "comment": ""}, follow=True
    )
    assert "必须填写审核意见" in response.content.decode()
    client_for(world.office).post(url, {"decision": "return", "comment": "请补充盖章件"})
    task.refresh_from_db()
    assert task.status == TaskStatus.RETURNED
    page = client_for(world.user_a).get(reverse("tasks:detail", args=[task.pk])).content.decode()
    assert "请补充盖章件" in page and "重新提交" in page


def test_nomination_view_refuses_with_rule(world):
    task = world.task(world.people_ind)
    ids = [p.pk for p in world.people if p.level == "enforcement"][:4]
    response = client_for(world.user_a).post(
        reverse("tasks:nominees", args=[task.pk]), {"person": ids}, follow=True
    )
    assert "推荐5名行政执法人员，其中科级干部不少于3人" in response.content.decode()
    assert not task.nominees.exists()


def test_extension_request_and_decision(world):
    task = world.task()
    new = (task.deadline + timedelta(days=7)).isoformat()
    client_for(world.user_a).post(
        reverse("tasks:extension", args=[task.pk]), {"requested_deadline": new, "reason": "盖章"}
    )
    ext = task.extensions.get()
    url = reverse("tasks:extension_decide", args=[ext.pk])
    assert client_for(world.user_a).post(url, {"decision": "approve"}).status_code == 404
    assert client_for(world.team).post(url, {"decision": "approve"}).status_code == 404
    response = client_for(world.office).post(url, {"decision": "approve", "next": "board"})
    assert response["Location"] == reverse("tasks:board", args=[world.scheme.pk])
    task.refresh_from_db()
    assert task.deadline.isoformat() == new


def test_board_access_filters_and_export(world, uploaded):
    url = reverse("tasks:board", args=[world.scheme.pk])
    assert_view_access(url, allowed=[world.office], denied=[world.team, world.user_a, world.user_b])
    body = client_for(world.office).get(url).content.decode()
    assert (
        "按单位" in body and "completion-chart" in body and "vendor/echarts/echarts.min.js" in body
    )
    response = client_for(world.office).get(url, {"status": "draft"})
    assert 'id="task-list"' in response.content.decode()
    response = client_for(world.office).get(url, {"export": "xlsx", "unit_name": "司法"})
    assert response["Content-Disposition"].startswith("attachment;")
    sheet = load_workbook(BytesIO(response.content))["按单位"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "单位" and rows[1][0] == "市司法局" and len(rows) == 3


def test_generate_view_is_idempotent_and_sends_assignment_mail(world, mailoutbox):
    Task.objects.all().delete()
    url = reverse("tasks:generate", args=[world.scheme.pk])
    assert client_for(world.user_a).post(url).status_code == 404
    response = client_for(world.office).post(url)
    assert "?run=" in response["Location"]  # queued; the board shows the run
    assert Task.objects.count() == 4
    assert len(mailoutbox) == 2  # one email per unit listing its new tasks
    response = client_for(world.office).post(url, follow=True)
    body = response.content.decode()
    assert "已生成 0 项任务，已存在 4 项" in body and 'data-status="SUCCESSFUL"' in body
    assert Task.objects.count() == 4 and len(mailoutbox) == 2
    # Another office user cannot read this run on the board (nor at its status address).
    run = response.redirect_chain[-1][0].split("run=")[1]
    other = make_user("office2", role=Role.OFFICE_ADMIN, unit=world.city, subtree=True)
    page = client_for(other).get(reverse("tasks:board", args=[world.scheme.pk]), {"run": run})
    assert "已生成" not in page.content.decode()
    assert client_for(other).get(reverse("background:run", args=[run])).status_code == 404


def test_edit_only_by_office(world):
    task = world.task()
    url = reverse("tasks:edit", args=[task.pk])
    data = {
        "materials": "改",
        "special_form": "",
        "nominee_count": 0,
        "nominee_level": "",
        "min_section_level": 0,
    }
    assert client_for(world.user_a).post(url, data).status_code == 404
    client_for(world.office).post(url, data)
    task.refresh_from_db()
    assert task.materials == "改"


def test_notifications_page(world, uploaded):
    task = world.task()
    services.task_submit(task=task, actor=world.user_a)
    services.task_review(task=task, actor=world.office, accept=False, comment="补充")
    client = client_for(world.user_a)
    assert "被退回" in client.get(reverse("notifications:inbox")).content.decode()
    assert 'id="unread-count"' in client.get(reverse("tasks:index")).content.decode()
    client.post(reverse("notifications:inbox"))
    assert 'id="unread-count"' not in client.get(reverse("tasks:index")).content.decode()
    assert (
        "被退回"
        not in client_for(world.user_b).get(reverse("notifications:inbox")).content.decode()
    )


def test_board_pages_the_unit_table(world, monkeypatch):
    from kaohe.tasks.views import board as views_board

    monkeypatch.setattr(views_board, "UNITS_PER_PAGE", 1)
    client = client_for(world.office)
    url = reverse("tasks:board", args=[world.scheme.pk])
    first = client.get(url).content.decode()
    second = client.get(url, {"page": 2}).content.decode()
    assert "page=2" in first
    table = lambda html: html.split('id="board-units"')[1].split("</tbody>")[0]  # noqa: E731
    assert "市司法局" in table(first) and "市住建局" not in table(first)
    assert "市住建局" in table(second)


def test_office_of_another_city_sees_nothing(world, uploaded):
    from kaohe.accounts.choices import Role
    from kaohe.common.testing import make_unit, make_user

    other_city = make_unit("另一市")
    stranger = make_user("office2", role=Role.OFFICE_ADMIN, unit=other_city, subtree=True)
    mine, _ = uploaded
    task = world.task()
    for url in (
        reverse("tasks:board", args=[world.scheme.pk]),
        reverse("tasks:detail", args=[task.pk]),
        reverse("tasks:download", args=[mine.pk]),
    ):
        assert client_for(stranger).get(url).status_code == 404, url
    services.task_submit(task=task, actor=world.user_a)
    assert (
        client_for(stranger)
        .post(reverse("tasks:review", args=[task.pk]), {"decision": "accept"})
        .status_code
        == 404
    )
    assert "市司法局" not in client_for(stranger).get(reverse("tasks:index")).content.decode()


def test_forms_shown_by_role(world, uploaded):
    task = world.task()
    services.task_submit(task=task, actor=world.user_a)
    url = reverse("tasks:detail", args=[task.pk])
    team = client_for(world.team).get(url).content.decode()
    office = client_for(world.office).get(url).content.decode()
    unit = client_for(world.user_a).get(url).content.decode()
    assert 'id="upload-form"' not in team and 'id="review-form"' not in team
    assert 'id="review-form"' in office and 'id="upload-form"' not in office
    assert 'id="upload-form"' in unit and 'id="review-form"' not in unit
    assert "司法局报告.pdf" in team  # the team may read the materials on site


def test_overdue_is_the_same_on_every_page_without_any_job(world):
    """A deadline in the past shows 已逾期 on the unit's list, the board, its filter and export."""

    Task.objects.filter(unit=world.unit_a).update(deadline=timezone.localdate() - timedelta(days=3))
    mine = client_for(world.user_a).get(reverse("tasks:index")).content.decode()
    assert "逾期 3 天" in mine and "status-overdue" in mine and "status-not_started" not in mine
    only_late = client_for(world.user_a).get(reverse("tasks:index"), {"status": "overdue"})
    assert only_late.content.decode().count("status-overdue") == 2
    url = reverse("tasks:board", args=[world.scheme.pk])
    late = client_for(world.office).get(url, {"status": "overdue"}).content.decode()
    assert "市司法局" in late and "已逾期" in late and "尚无任务" not in late
    board = client_for(world.office).get(url).context
    assert board["totals"].counts.get("overdue") == 2
    none = client_for(world.office).get(url, {"status": "accepted"}).content.decode()
    assert "没有符合筛选条件的任务" in none and "从任务分解表生成任务”" not in none
    sheet = load_workbook(BytesIO(client_for(world.office).get(url, {"export": "xlsx"}).content))[
        "按单位"
    ]
    rows = list(sheet.iter_rows(values_only=True))
    late_col = rows[0].index("已逾期")
    assert rows[-1][late_col] == 2
    task = Task.objects.filter(unit=world.unit_a).first()
    detail = client_for(world.user_a).get(reverse("tasks:detail", args=[task.pk])).content.decode()
    assert "bg-danger" in detail and "已逾期 3 天" in detail
