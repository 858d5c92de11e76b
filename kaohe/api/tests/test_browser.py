"""The API documentation page in a real browser: vendored Swagger UI renders the operations
under the Content Security Policy, loading nothing from outside; the token page works."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_docs_page_renders_offline_under_the_csp(browser_page, demo, login, settings):
    settings.DEMO = True
    page = browser_page
    login(page, "office")
    page.goto(page.base_url + "/account/tokens/")
    page.fill("#id_name", "浏览器测试")
    page.select_option("#id_scope", "read")
    page.click("text=创建令牌")
    secret = page.inner_text("#new-token").strip()
    assert secret.startswith("kh_")
    page.goto(page.base_url + "/api/v1/docs")
    page.wait_for_selector(".opblock-summary-path", timeout=20000)
    paths = page.locator(".opblock-summary-path").all_inner_texts()
    assert any("scores/bulk" in p for p in paths), paths[:5]
    assert page.locator(".opblock").count() >= 20
    assert not page.external_requests
    assert not [e for e in page.console_errors if "Content Security Policy" in e]
