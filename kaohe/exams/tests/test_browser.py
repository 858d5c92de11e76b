"""On a 390×844 phone: code → answer → offline → back → submit; the team's board shows it and
the unit's leaf score changes."""

from pathlib import Path

import pytest

import kaohe
from kaohe.exams.models import Answer, Examinee
from kaohe.exams.paper_engine import key_pk
from kaohe.exams.services import sittings
from kaohe.schemes.models import ScoreEntry

expect = pytest.importorskip("playwright.sync_api").expect
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NO_SIDEWAYS_SCROLL = "document.documentElement.scrollWidth <= window.innerWidth"


def test_examinee_on_phone_survives_offline_and_the_board_and_leaf_follow(
    ew, browser_page, login, settings
):
    settings.STATICFILES_DIRS = [Path(kaohe.__file__).parent / "static"]
    sitting = sittings.sitting_create(exam=ew.exam, draw=ew.draw, mode="online")
    sittings.sitting_draw_paper(sitting=sitting, seed="42")
    sittings.sitting_open(sitting=sitting)
    examinee = sitting.examinees.order_by("seat").first()
    before = ScoreEntry.objects.filter(subject=ew.subject, indicator=ew.leaf).first()

    page = browser_page
    page.on("dialog", lambda dialog: dialog.accept())
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{page.base_url}/exams/t/?c={examinee.code}")
    page.click("#enter")
    page.wait_for_selector("#q-1")
    assert page.evaluate(NO_SIDEWAYS_SCROLL) and page.inner_text("#countdown").strip() != "--:--"

    page.locator("#q-1 input[type=radio]").first.check()
    expect(page.locator("#q-1 .saved")).to_contain_text("已保存")
    first_key = page.get_attribute("#q-1", "data-key")
    assert Answer.objects.filter(examinee=examinee, question_id=key_pk(first_key)).exists()

    page.context.set_offline(True)
    page.locator("#q-2 input[type=radio]").first.check()
    expect(page.locator("#q-2 .saved")).to_contain_text("未保存")
    second_key = page.get_attribute("#q-2", "data-key")
    assert not Answer.objects.filter(examinee=examinee, question_id=key_pk(second_key)).exists()
    assert "离线" in page.inner_text("#net-state")

    page.context.set_offline(False)
    expect(page.locator("#q-2 .saved")).to_contain_text("已保存", timeout=20000)
    assert Answer.objects.filter(examinee=examinee, question_id=key_pk(second_key)).exists()

    page.reload()  # a dropped page or a closed browser: the same session resumes
    page.wait_for_selector("#q-2")
    assert page.locator("#q-2 input:checked").count() == 1

    page.click("#submit")
    page.wait_for_selector("#done")
    assert Examinee.objects.get(pk=examinee.pk).status == "submitted"
    assert page.external_requests == []  # (console errors: only the offline saves' failures)
    assert not [e for e in page.console_errors if "Content Security Policy" in e]

    login(page, "leader", "Test-pass-123")
    page.goto(f"{page.base_url}/exams/sittings/{sitting.pk}/board/")
    assert page.get_attribute("#row-1", "data-status") == "submitted"
    page.goto(f"{page.base_url}/exams/sittings/{sitting.pk}/")
    page.click("#close")
    page.wait_for_selector("#marking")
    page.click("#marking")
    for form in page.locator("form[id^=mark-]").all():
        form.locator("input[name=points]").fill("6")
        form.locator("button").click()
        page.wait_for_load_state()
    page.goto(f"{page.base_url}/exams/sittings/{sitting.pk}/")
    page.click("#score")
    page.wait_for_selector("#result")
    after = ScoreEntry.objects.get(subject=ew.subject, indicator=ew.leaf)
    assert after.source == "exam" and (before is None or before.value != after.value)
