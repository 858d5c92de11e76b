"""End to end in Chromium: a unit uploads and submits; the office returns, then accepts."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from kaohe.tasks.models import Task
from kaohe.tasks.services import tasks_generate

from .conftest import PDF

VENDOR_STATIC = Path(__file__).resolve().parents[2] / "static"
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_unit_uploads_office_returns_then_accepts(demo, browser_page, login, settings):
    settings.DEMO = True  # the demo's published password is accepted only in demo mode
    # kaohe/static (vendored Bootstrap, ECharts) is not an app directory; until the core
    # settings list it in STATICFILES_DIRS, add it here so the chart can load.
    if VENDOR_STATIC not in [Path(p) for p in getattr(settings, "STATICFILES_DIRS", [])]:
        settings.STATICFILES_DIRS = [*getattr(settings, "STATICFILES_DIRS", []), VENDOR_STATIC]
    page = browser_page
    tasks_generate(scheme=demo)
    task = (
        Task.objects.filter(unit__name="市司法局", special_form="")
        .order_by("indicator__code")
        .first()
    )
    Task.objects.filter(pk=task.pk).update(deadline=timezone.localdate() + timedelta(days=10))

    login(page, "sifaju")
    page.goto(page.base_url + "/tasks/")
    page.click(f"a[href='/tasks/{task.pk}/']")
    page.set_input_files(
        "#id_files",
        files=[
            {"name": "工作汇报.pdf", "mimeType": "application/pdf", "buffer": PDF},
            {"name": "附件.pdf", "mimeType": "application/pdf", "buffer": PDF + b"%2"},
        ],
    )
    page.click("#upload-form button")
    page.wait_for_selector("text=已上传 2 个文件")
    assert page.locator("#files").get_by_text("工作汇报.pdf").count() == 1
    page.fill("#id_description", "请审核")
    page.click("#submit-form button")
    page.wait_for_selector("text=材料已提交")
    assert page.inner_text("#task-status") == "已提交"
    page.click("text=退出")

    login(page, "office")
    page.goto(page.base_url + f"/tasks/{task.pk}/")
    page.fill("#review-form textarea", "缺少工作成效部分，请补充")
    page.click("#review-form button[value=return]")
    page.wait_for_selector("text=已退回，单位会收到审核意见")
    assert page.inner_text("#task-status") == "已退回"
    page.click("text=退出")

    login(page, "sifaju")
    page.goto(page.base_url + f"/tasks/{task.pk}/")
    assert "缺少工作成效部分，请补充" in page.inner_text("#submissions")
    page.set_input_files(
        "#files input[name=files]",
        files=[{"name": "工作汇报v2.pdf", "mimeType": "application/pdf", "buffer": PDF + b"%v2"}],
    )
    page.click("#files button:has-text('替换')")
    page.wait_for_selector("text=旧版本已保留")
    page.click("#submit-form button")
    page.wait_for_selector("text=材料已提交")
    assert page.inner_text("#task-status") == "已重新提交"
    page.click("text=退出")

    login(page, "office")
    page.goto(page.base_url + f"/tasks/{task.pk}/")
    page.click("#review-form button[value=accept]")
    page.wait_for_selector("text=已通过。")
    assert page.inner_text("#task-status") == "已通过"
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(page.base_url + f"/tasks/schemes/{demo.pk}/")
    page.wait_for_selector("#completion-chart[data-ready='1']")
    assert page.external_requests == [] and errors == []
    task.refresh_from_db()
    assert list(task.transitions.values_list("to_status", flat=True)) == [
        "not_started",
        "draft",
        "submitted",
        "returned",
        "resubmitted",
        "accepted",
    ]
