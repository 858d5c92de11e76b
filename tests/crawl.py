"""Walk the site as a user: every same-site link from the home page, a few pages per URL shape.

Shared by the link walker (tests/test_links.py: no link its user cannot follow) and the English
crawl (tests/test_english_pages.py: no Chinese outside user data)."""

from __future__ import annotations

import io
import json
import re
from collections import defaultdict
from collections.abc import Callable
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.core.management import call_command

from kaohe.accounts.choices import Role
from kaohe.accounts.models import User
from kaohe.accounts.services import role_assign, user_create
from kaohe.orgs.models import Unit

SKIP = ("/logout/", "/i18n/", "/static/", "/media/", "/django-admin/")
MAX_PAGES = 400
ROLES = ["office", "team1", "qingfeng", "sifaju", "admin", "sysadmin", "secadmin", "auditadmin"]
# Attributes a reader sees (tooltips, placeholders, confirmation prompts, button captions).
SHOWN_ATTRIBUTES = ("title", "placeholder", "aria-label", "alt", "data-confirm")
BUTTON_INPUTS = ("submit", "button", "reset")
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


class Page(HTMLParser):
    """Links, the <title>, and every piece of text a reader sees: text nodes outside scripts and
    styles, shown attributes, button captions, and the strings of JSON data islands (chart labels).
    Text inside an element marked lang="zh…" (a guide written in Chinese) is content, not interface:
    it goes to `chinese_texts`, not `texts`."""

    def __init__(self):
        super().__init__()
        self.hrefs, self.title, self.texts, self.chinese_texts = [], "", [], []
        self._open = []  # (tag, marked lang="zh…") of the open elements
        self._in_title = False
        self._hidden = 0  # inside <script> or <style>
        self._json = None  # text of a JSON <script> being read

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag not in VOID:
            self._open.append((tag, (attrs.get("lang") or "").lower().startswith("zh")))
        if tag == "a" and attrs.get("href"):
            self.hrefs.append(attrs["href"])
        self._in_title = tag == "title"
        if tag in ("script", "style"):
            self._hidden += 1
            if tag == "script" and "json" in (attrs.get("type") or ""):
                self._json = ""
        shown = [attrs[name] for name in SHOWN_ATTRIBUTES if attrs.get(name)]
        if tag == "input" and attrs.get("type") in BUTTON_INPUTS and attrs.get("value"):
            shown.append(attrs["value"])
        self._texts().extend(shown)

    def _texts(self) -> list[str]:
        return self.chinese_texts if any(zh for _, zh in self._open) else self.texts

    def handle_endtag(self, tag):
        while tag in (t for t, _ in self._open):  # close it and anything left open inside it
            if self._open.pop()[0] == tag:
                break
        if tag == "title":
            self._in_title = False
        if tag in ("script", "style"):
            self._hidden = max(0, self._hidden - 1)
            if self._json is not None:
                self._texts().extend(json_strings(self._json))
                self._json = None

    def handle_data(self, data):
        if self._in_title:
            self.title += data
        if self._json is not None:
            self._json += data
        elif not self._hidden:
            self._texts().append(data)


def json_strings(text: str):
    """Every string (keys excluded) in a JSON document; nothing if it does not parse."""
    try:
        stack = [json.loads(text)]
    except ValueError:
        return
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            yield item
        elif isinstance(item, dict):
            stack += item.values()
        elif isinstance(item, list):
            stack += item


def shape(url: str) -> str:
    parts = urlsplit(url)
    query = "&".join(sorted(re.sub(r"=.*", "", q) for q in parts.query.split("&") if q))
    return re.sub(r"\d+", "N", parts.path) + ("?" + query if query else "")


def same_site_path(base: str, href: str) -> str | None:
    target = urljoin(base, href.split("#")[0])
    parts = urlsplit(target)
    if parts.scheme in ("mailto", "tel", "javascript") or parts.netloc not in ("", "testserver"):
        return None
    path = parts.path + ("?" + parts.query if parts.query else "")
    return path if path and not path.startswith(SKIP) else None


def walk(
    client, *, per_shape: int = 2, visit: Callable[[str, Page], None] | None = None
) -> list[str]:
    """GET every reachable page (at most `per_shape` per URL shape); returns the failures
    (403, 404, 5xx) and calls `visit(url, page)` for each HTML page."""
    seen, counts, queue, bad = set(), defaultdict(int), ["/"], []
    while queue and len(seen) < MAX_PAGES:
        url = queue.pop(0)
        if url in seen or counts[shape(url)] >= per_shape:
            continue
        seen.add(url)
        counts[shape(url)] += 1
        response = client.get(url)
        if response.status_code in (403, 404) or response.status_code >= 500:
            bad.append(f"{url} → {response.status_code}")
            continue
        if response.status_code in (301, 302) or "text/html" not in response.get(
            "Content-Type", ""
        ):
            continue
        page = Page()
        page.feed(response.content.decode())
        if visit:
            visit(url, page)
        for href in page.hrefs:
            path = same_site_path(url, href)
            if path and path not in seen:
                queue.append(path)
    return bad


@pytest.fixture
def demo_world(db, settings):
    """The full demo plus the three 三员 admins; users by username."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("demo", stdout=io.StringIO())
    city = Unit.objects.get(name="濮阳市")
    for username, role in (
        ("sysadmin", Role.SYSTEM_ADMIN),
        ("secadmin", Role.SECURITY_ADMIN),
        ("auditadmin", Role.AUDIT_ADMIN),
    ):
        user = user_create(username=username, password="Three-Admins-1")  # noqa: S106
        role_assign(user=user, role=role, unit=city, include_subtree=True)
    return {u.username: u for u in User.objects.all()}
