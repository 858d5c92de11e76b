"""End to end in headless Chromium: sign in, open the demo results, change a score, see the rank move."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _rank_of(page, unit):
    return int(page.locator(f'tr[data-unit="{unit}"] td.rank').inner_text())


def test_office_changes_a_score_and_the_rank_changes(browser_page, login, demo, settings):
    settings.DEMO = True  # as under `make run`: the demo's published password is accepted
    page = browser_page
    login(page, "office")
    page.click("text=2020年度依法行政考核")
    page.click("text=成绩与排名")
    page.wait_for_selector('table[data-category="县(区)"]')
    assert _rank_of(page, "台前县") == 1
    fourth = page.locator('table[data-category="县(区)"] tbody tr').nth(3)
    challenger = fourth.get_attribute("data-unit")
    assert _rank_of(page, challenger) == 4

    # Open the challenger's trace, then its score sheet, and give full marks everywhere.
    page.click(f'tr[data-unit="{challenger}"] a')
    page.click("text=录入/更正得分")
    inputs = page.locator("input.score-input")
    for index in range(inputs.count()):
        field = inputs.nth(index)
        name = field.get_attribute("name")
        row = page.locator(f'input[name="{name}"]').locator("xpath=ancestor::tr")
        method = row.locator("td").nth(2).inner_text()
        maximum = row.locator("td").nth(3).inner_text()
        if "扣分制" in method or "扣分项" in method:
            field.fill("0")
        else:
            field.fill(maximum)
    page.click("text=保存全部")
    page.wait_for_selector(".alert-success")

    page.click("text=成绩与排名")
    page.wait_for_selector('table[data-category="县(区)"]')
    assert _rank_of(page, challenger) == 1
    assert _rank_of(page, "台前县") == 2
    assert page.locator(f'tr[data-unit="{challenger}"] td.grade').inner_text().startswith("优秀")
    assert page.external_requests == [], page.external_requests
    assert not [e for e in page.console_errors if "Content Security Policy" in e]


def test_login_page_is_chinese_and_loads_nothing_from_outside(browser_page):
    page = browser_page
    page.goto(page.base_url + "/login/")
    assert "依法行政考核管理系统" in page.content()
    page.fill("#id_username", "nobody")
    page.fill("#id_password", "wrong-password")
    page.click("button[type=submit]")
    assert "用户名或密码错误" in page.content()
    assert page.external_requests == []


def test_vendored_assets_are_served(browser_page):
    page = browser_page
    for path in [
        "vendor/bootstrap/bootstrap.min.css",
        "vendor/htmx/htmx.min.js",
        "vendor/echarts/echarts.min.js",
        "kaohe/kaohe.js",
    ]:
        response = page.request.get(f"{page.base_url}/static/{path}")
        assert response.status == 200, path
    page.goto(page.base_url + "/login/")
    # Bootstrap really applied: the login button gets its background colour.
    colour = page.eval_on_selector(
        "button[type=submit]", "b => getComputedStyle(b).backgroundColor"
    )
    assert colour not in ("rgba(0, 0, 0, 0)", "rgb(239, 239, 239)"), colour
