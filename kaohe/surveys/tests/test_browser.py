"""On a phone (390×844): scan the counter poster's QR code, answer, see the thanks page."""

import pytest

from kaohe.surveys import documents
from kaohe.surveys.factories import make_setup
from kaohe.surveys.models import Response

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NO_SIDEWAYS_SCROLL = "document.documentElement.scrollWidth <= window.innerWidth"


def test_answer_on_a_phone_through_the_qr_link(browser_page, login, tmp_path):
    setup = make_setup("phone")
    page = browser_page
    target = setup.target
    # The office prints the QR: it encodes exactly this subject's public link.
    login(page, setup.office.username, "Test-pass-123")
    png = page.request.get(f"{page.base_url}/surveys/targets/{target.pk}/qr.png").body()
    url = documents.target_url(target, page.base_url)
    assert png == documents.qr_png(url)
    # A citizen's phone: no session, phone-sized window.
    page.context.clear_cookies()
    page.set_viewport_size({"width": 390, "height": 844})
    sizes = []
    page.on("response", lambda r: sizes.append(len(r.body())) if r.ok else None)
    errors_before = len(page.console_errors)
    page.goto(url)
    page.wait_for_load_state("networkidle")
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
    assert "截止时间" in page.inner_text(".sv-when")
    assert setup.subjects[0].unit.name in page.inner_text(".sv-unit")
    weight = sum(sizes)
    assert weight < 100_000, weight  # HTML + CSS + htmx, uncompressed
    assert page.evaluate("typeof htmx") == "object"  # vendored htmx, loaded from our server
    # Submitting without the required answers marks them (htmx swaps the page in place).
    page.click("button[type=submit]")
    page.wait_for_selector(".sv-err")
    assert page.locator(".sv-err").count() == 2
    page.screenshot(path=tmp_path / "form.png", full_page=True)
    page.get_by_label("满意", exact=True).check()
    page.get_by_label("开办").check()
    box = page.locator(".sv-opt").first.bounding_box()
    assert box["height"] >= 44  # a thumb-sized target
    page.fill(f"textarea[name=q{setup.text.pk}]", "<b>窗口热情</b>")
    page.click("button[type=submit]")
    page.wait_for_selector("text=提交成功")
    page.screenshot(path=tmp_path / "thanks.png")
    assert page.external_requests == []
    # The 400 of the first try is logged by the browser as a failed load; nothing else (no CSP).
    assert [e for e in page.console_errors[errors_before:] if "status of 400" not in e] == []
    response = Response.objects.get()
    assert response.channel == "link"
    assert response.answers.get(question=setup.text).text == "<b>窗口热情</b>"
    # Back on the form: this phone has answered already.
    page.goto(url)
    page.get_by_label("满意", exact=True).check()
    page.get_by_label("开办").check()
    page.click("button[type=submit]")
    page.wait_for_selector("text=本设备已经提交过")
    assert Response.objects.count() == 1
