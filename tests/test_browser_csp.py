"""In a real browser, no page is broken by the Content Security Policy.

Every page without parameters, and every scheme-level page of the demo scheme, is opened as
the office admin in headless Chromium; any "Refused to … Content Security Policy" console
message (an inline script or handler, an outside source) fails the test with the page.
"""

import re

import pytest

from .matrix import PUBLIC, SKIP_PREFIXES, walk

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCHEME_KWARG = re.compile(r"<int:(scheme_pk|scheme_id)>|schemes/<int:pk>")
DOWNLOADS = (".docx", ".xlsx", ".pdf", ".zip", ".csv")


def pages(scheme_pk: int) -> list[str]:
    urls = []
    for route, name, _ in walk():
        if route.startswith(SKIP_PREFIXES) or name in PUBLIC or route.endswith(DOWNLOADS):
            continue
        params = re.findall(r"<[^>]+>", route)
        if not params:
            urls.append("/" + route)
        elif len(params) == 1 and SCHEME_KWARG.search(route):
            urls.append("/" + re.sub(r"<[^>]+>", str(scheme_pk), route))
    return urls


def test_no_page_violates_the_csp(browser_page, login, demo, settings):
    settings.DEMO = True
    page = browser_page
    violations: list[str] = []
    current = {"url": ""}
    page.on(
        "console",
        lambda msg: (
            violations.append(f"{current['url']}: {msg.text[:200]}")
            if "Content Security Policy" in msg.text
            else None
        ),
    )
    login(page, "office")
    visited = 0
    for url in pages(demo.pk):
        current["url"] = url
        probe = page.request.get(page.base_url + url, max_redirects=0)
        if probe.status != 200 or "text/html" not in probe.headers.get("content-type", ""):
            continue  # POST-only, role-gated or a download: nothing to render
        response = page.goto(page.base_url + url)
        if response is not None and response.status == 200:
            page.wait_for_load_state("load")
            visited += 1
    print(f"CSP: {visited} pages opened in Chromium")
    assert visited >= 10
    assert not violations, "CSP violations:\n" + "\n".join(violations)
    assert not page.external_requests
