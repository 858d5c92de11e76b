"""End to end in Chromium: upload seed 000's table, map a unit name, apply in the background."""

from pathlib import Path

import pytest

from kaohe.schemes.models import Indicator
from kaohe.schemes.services import scheme_create

from . import builders

VENDOR_STATIC = Path(__file__).resolve().parents[2] / "static"
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_office_previews_maps_and_imports(demo, browser_page, login, settings, tmp_path):
    settings.DEMO = True
    settings.KAOHE_IMPORT_BACKGROUND_BYTES = 0  # check and apply in a thread, progress polled
    if VENDOR_STATIC not in [Path(p) for p in getattr(settings, "STATICFILES_DIRS", [])]:
        settings.STATICFILES_DIRS = [*getattr(settings, "STATICFILES_DIRS", []), VENDOR_STATIC]
    scheme = scheme_create(
        code="py-2021", name="2021年度依法行政考核", year=2021, owner_unit=demo.owner_unit
    )
    page = browser_page
    login(page, "office")
    page.goto(page.base_url + "/transfer/")
    form = page.locator("#upload-indicators")
    form.locator("select[name=scheme]").select_option(str(scheme.pk))
    form.locator("input[type=file]").set_input_files(
        files=[
            {
                "name": "任务分解表.docx",
                "mimeType": "application/octet-stream",
                "buffer": builders.seed_docx(),
            }
        ]
    )
    form.locator("button").click()
    page.wait_for_selector("#summary", timeout=60000)
    assert "1 级指标 5 个" in page.inner_text("#summary")
    assert "2 级指标 14 个" in page.inner_text("#summary")
    row = page.locator("#unmatched tr", has_text="市卫健委")
    row.locator("select").select_option(label="市卫生健康委")
    page.click("text=保存对应关系并重新检查")
    page.wait_for_selector("#summary", timeout=60000)
    assert page.locator("#unmatched tr", has_text="市卫健委").count() == 0
    page.screenshot(path=str(tmp_path / "preview.png"), full_page=True)
    page.click("text=确认导入")
    page.wait_for_selector("text=已导入", timeout=60000)
    assert Indicator.objects.filter(scheme=scheme).count() == 19
    assert page.external_requests == []
