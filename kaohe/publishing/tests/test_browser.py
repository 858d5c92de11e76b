"""End to end in Chromium: a unit files an objection, the office upholds it, the rank changes."""

from decimal import Decimal

import pytest

from kaohe.publishing.factories import PDF_BYTES, open_publicity
from kaohe.publishing.models import Objection
from kaohe.schemes.models import Indicator, ScoreEntry
from kaohe.scoring.models import SubjectResult

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_unit_objects_office_upholds_rank_changes(demo, demo_users, browser_page, login, settings):
    settings.DEMO = True  # the demo's published password is accepted only in demo mode
    page = browser_page
    open_publicity(demo, demo_users["office"])
    lower = SubjectResult.objects.select_related("subject").get(
        scheme=demo, subject__unit__name="清丰县"
    )
    upper = SubjectResult.objects.get(
        scheme=demo, grading_category=lower.grading_category, rank=lower.rank - 1
    )
    leaf = Indicator.objects.get(scheme=demo, code="D1")
    current = ScoreEntry.objects.get(subject=lower.subject, indicator=leaf).value
    needed = (upper.total - lower.total) / Decimal("0.6") + Decimal("0.5")  # D1: daily 60 %
    new_value = min(leaf.max_score, current + needed).quantize(Decimal("0.1"))
    assert (new_value - current) * Decimal("0.6") > upper.total - lower.total

    login(page, "qingfeng")
    page.goto(page.base_url + f"/publishing/schemes/{demo.pk}/my/")
    assert page.inner_text("#rank") == str(lower.rank)
    page.select_option("#id_indicator", value=str(leaf.pk))
    page.fill("#id_text", "专项工作均按时完成，佐证材料见附件")
    page.set_input_files(
        "#id_files",
        files=[{"name": "佐证.pdf", "mimeType": "application/pdf", "buffer": PDF_BYTES}],
    )
    page.click("#objection-submit")
    page.wait_for_selector("text=已提交")
    objection = Objection.objects.get()
    assert objection.files.count() == 1
    page.click("text=退出")

    login(page, "office")
    page.goto(page.base_url + f"/publishing/objections/{objection.pk}/")
    page.check("input[name=verdict][value=upheld]")
    page.select_option("#id_indicator", value=str(leaf.pk))
    page.fill("#id_new_value", str(new_value))
    page.fill("#id_decision_text", "经核实材料，专项工作已完成，恢复得分")
    page.click("#decide-submit")
    page.wait_for_selector("text=复核结论已保存")
    assert page.inner_text("#rank-change") == f"{lower.rank} → {lower.rank - 1}"
    page.click("text=退出")

    login(page, "qingfeng")
    page.goto(page.base_url + f"/publishing/subjects/{lower.subject_id}/")
    assert page.inner_text("#rank") == str(lower.rank - 1)
    page.goto(page.base_url + "/notifications/")
    assert "复核申请" in page.inner_text("main") and "成立" in page.inner_text("main")
    assert page.external_requests == []
