"""Issue 12 item 15: in English, no Chinese outside user data.

Signs in as every demo role with English chosen, walks the pages (one per URL shape), opens the
anonymous pages (sign-in, survey links, the examinee's code page), and fails on any Chinese
character in what a reader sees — text, tooltips, placeholders, prompts, button captions, chart
labels — that is not user data. User data is every text stored in the database (unit, indicator and
scheme names, notes, stored notices…): it is removed from each piece of text before the check, so
"Score of 清丰县" passes and "清丰县的得分" does not.

KAOHE_EN_PREFIX=/exams/,/s/ limits the report to pages under those prefixes (for work on one app)."""

from __future__ import annotations

import bisect
import os
import re
from collections import defaultdict

import pytest
from django.apps import apps
from django.conf import settings
from django.db import models
from django.test import Client

from .crawl import ROLES, Page, demo_world, walk  # noqa: F401  (demo_world is a fixture)

pytestmark = pytest.mark.django_db(transaction=False)
CHINESE = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]+")
# The language menu names each language in itself, and its label stays bilingual so that a reader
# who switched by mistake finds the way back.
OWN_NAMES = {"简体中文", "中文", "Language / 语言"}
ELLIPSIS = ("…", "...")


class UserData:
    """Every text stored in the database, findable inside a piece of page text."""

    def __init__(self):
        texts = set()
        for model in apps.get_models():
            for field in model._meta.concrete_fields:
                if isinstance(field, (models.CharField, models.TextField, models.FileField)):
                    values = model._default_manager.values_list(field.attname, flat=True)
                    texts.update(v for v in values.distinct() if v)
                elif isinstance(field, models.JSONField):
                    for value in model._default_manager.values_list(field.attname, flat=True):
                        texts.update(strings_in(value))
        # A multi-line text may be shown a line at a time: its lines are stored texts too.
        lines = {
            normal(line) for t in texts for line in str(t).splitlines() if CHINESE.search(line)
        }
        texts = {normal(t) for t in texts if CHINESE.search(str(t))} | lines
        self.exact = texts
        self.sorted = sorted(texts)
        self.by_run = defaultdict(list)  # a run of Chinese → the stored texts that contain it
        for text in sorted(texts, key=len, reverse=True):
            for run in set(CHINESE.findall(text)):
                self.by_run[run].append(text)

    def strip(self, text: str) -> str:
        """`text` without the stored texts it contains (and a truncated one before "…").

        The truncated text is found first and stored texts are cut out longest first, so that a
        short stored text (a unit name) cannot break up a longer one that contains it."""
        if text in self.exact or text in OWN_NAMES:
            return ""
        for mark in ELLIPSIS:
            head, found, rest = text.partition(mark)
            start = self.stored_text_start(head.split()) if found else None
            if start is not None:
                text = " ".join([*head.split()[:start], " ", rest])
        candidates = {s for run in CHINESE.findall(text) for s in self.by_run.get(run, ())}
        for stored in sorted(candidates, key=len, reverse=True):
            if stored in text:
                text = text.replace(stored, " ")
        return text

    def stored_text_start(self, words: list[str]) -> int | None:
        """The first word from which `words` begin a stored text (None: they do not)."""
        for start in range(len(words)):  # the truncated text may follow a label
            prefix = " ".join(words[start:])
            at = bisect.bisect_left(self.sorted, prefix)
            if (
                CHINESE.search(prefix)
                and at < len(self.sorted)
                and self.sorted[at].startswith(prefix)
            ):
                return start
        return None


def strings_in(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from strings_in(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings_in(item)


def normal(text) -> str:
    return " ".join(str(text).split())


def english_client(user=None) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    if user:
        client.force_login(user)
    return client


def anonymous_pages() -> list[str]:
    from kaohe.surveys.models import Survey, SurveyTarget

    urls = ["/login/", "/exams/t/"]
    for survey in Survey.objects.order_by("pk")[:3]:
        urls.append(f"/s/u/{survey.token}/")
        target = SurveyTarget.objects.filter(survey=survey).order_by("pk").first()
        if target:
            urls.append(f"/s/{target.token}/")
    return urls


def wanted(url: str) -> bool:
    prefixes = [p for p in os.environ.get("KAOHE_EN_PREFIX", "").split(",") if p]
    return (
        not prefixes
        or any(url == p or url.startswith(p) for p in prefixes if p != "/")
        or ("/" in prefixes and url == "/")
    )


def test_no_chinese_outside_user_data_in_english(demo_world):  # noqa: F811
    pages: dict[str, list[tuple[str, Page]]] = {}
    for username in ROLES:
        found = pages.setdefault(username, [])
        walk(
            english_client(demo_world[username]),
            per_shape=1,
            visit=lambda u, p, f=found: f.append((u, p)),
        )
    anonymous = english_client()
    for url in anonymous_pages():
        response = anonymous.get(url)
        if response.status_code == 200 and "text/html" in response.get("Content-Type", ""):
            page = Page()
            page.feed(response.content.decode())
            pages.setdefault("anonymous", []).append((url, page))
    assert sum(len(v) for v in pages.values()) > 50, "the crawl reached too few pages"

    data = UserData()  # after the walk: pages may have stored texts (notifications, events)
    problems = defaultdict(set)
    for who, visited in pages.items():
        for url, page in visited:
            if not wanted(url):
                continue
            for text in [page.title, *page.texts]:
                text = normal(text)
                if CHINESE.search(text) and CHINESE.search(data.strip(text)):
                    problems[f"{who} {url}"].add(text[:120])
    report = [
        f"{where}: {' | '.join(sorted(texts)[:8])}" for where, texts in sorted(problems.items())
    ]
    assert not report, f"{len(report)} pages show Chinese in English:\n" + "\n".join(report)
