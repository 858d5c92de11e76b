"""Shared pytest fixtures: the demo assessment, users by role, HTTP clients."""

import os

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API in live tests


@pytest.fixture(autouse=True)
def default_language():
    """Each test starts in the default language (Chinese): an English request leaves English
    active on the thread, which would otherwise leak into the next test's commands and services."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(params=["shared cache only", "with a first level in this process"])
def cache_levels(request, settings):
    """Run a test with the cache as without Redis, then as deployed with Redis: a per-process
    first level in front of the shared cache (kaohe/common/cached.py). Both start empty."""
    from django.core.cache import caches

    settings.KAOHE_LOCAL_CACHE = "local" if request.param.startswith("with") else ""
    for name in ("default", "local"):
        caches[name].clear()
    yield request.param
    caches["local"].clear()


@pytest.fixture
def demo(db):
    """The seeds' 2020 assessment (units, scheme puyang-2020, scores, accounts)."""
    from kaohe.demo.builder import build_demo

    return build_demo()


@pytest.fixture
def demo_users(demo):
    from kaohe.accounts.models import User

    return {u.username: u for u in User.objects.all()}


@pytest.fixture
def office_client(client, demo_users):
    client.force_login(demo_users["office"])
    return client


@pytest.fixture
def unit_client(client, demo_users):
    """Signed in as 清丰县's unit user."""
    client.force_login(demo_users["qingfeng"])
    return client


CHROMIUM = os.environ.get("KAOHE_CHROMIUM", "/usr/bin/chromium")


@pytest.fixture
def browser_page(live_server):
    """A headless Chromium page (Playwright) against the live test server.

    Skipped, with the reason, when Chromium or Playwright is missing; `.ci/run` installs
    both so CI always runs these. Every request leaving the server is recorded in
    `page.external_requests` so a test can assert that pages load nothing from outside.
    """
    if not os.path.exists(CHROMIUM):
        pytest.skip(
            f"浏览器测试已跳过：未找到 Chromium（{CHROMIUM}）；安装 Debian 包 chromium 后运行。"
        )
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("浏览器测试已跳过：未安装 playwright（pip install -r requirements/dev.txt）。")
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
        page = context.new_page()
        page.set_default_timeout(15000)
        page.external_requests = []
        page.on(
            "request",
            lambda r: (
                None
                if r.url.startswith((live_server.url, "data:", "blob:"))
                else page.external_requests.append(r.url)
            ),
        )
        page.base_url = live_server.url
        # Console errors, e.g. "Refused to execute inline script" from the CSP.
        page.console_errors = []
        page.on(
            "console", lambda m: page.console_errors.append(m.text) if m.type == "error" else None
        )
        try:
            yield page
        finally:
            context.close()
            browser.close()


def browser_login(page, username: str, password: str = "Kaohe@2020") -> None:  # noqa: S107
    """Sign in through the real login form."""
    page.goto(page.base_url + "/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/login/" not in url)


@pytest.fixture
def login():
    return browser_login
