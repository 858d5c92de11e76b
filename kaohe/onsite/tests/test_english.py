"""On English pages the on-site messages are English; the draw certificate stays Chinese and
the digest does not depend on the page's language."""

from io import BytesIO

from django.test import Client
from django.urls import reverse
from django.utils import translation
from docx import Document

from kaohe.onsite.documents import describe_rule
from kaohe.onsite.models import Draw

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
RULE = {"count_min": 3, "count_max": 5, "quotas": [{"label": "成员", "min": 2, "max": 2}]}


def test_rule_in_words_follows_the_language():
    with translation.override("en"):
        assert describe_rule(RULE) == [
            "Draw 3 to 5 (the seed decides how many)",
            "成员: exactly 2",
        ]
    with translation.override("zh-hans"):
        assert describe_rule(RULE) == ["抽取 3 至 5 个（数量由种子确定）", "成员：恰好 2 个"]


def _draw(client, world, count: int):
    return client.post(
        reverse("onsite:draw_new", args=[world.county.pk]),
        {"preset": "staff", "source": "people", "count_min": count, "count_max": count},
        follow=True,
        **EN,
    )


def test_refused_draw_says_why_in_english(world):
    client = Client()
    client.force_login(world.users["member"])
    page = _draw(client, world, 27).content.decode()
    assert "The rule cannot be met: “中层干部” has only 10 eligible; drawing 27 needs" in page
    assert "无法按规则抽取" not in page


def test_certificate_is_chinese_from_an_english_page(world):
    client = Client()
    client.force_login(world.users["member"])
    _draw(client, world, 12)
    draw = Draw.objects.get()
    client.post(reverse("onsite:draw_seed", args=[draw.pk]), {"action": "typed", "seed": "7"}, **EN)
    client.post(reverse("onsite:draw_execute", args=[draw.pk]), **EN)
    draw.refresh_from_db()
    assert draw.status == "done"
    with translation.override("zh-hans"):
        reference = client.get(reverse("onsite:draw_certificate", args=[draw.pk])).content
    english = client.get(reverse("onsite:draw_certificate", args=[draw.pk]), **EN).content

    def text(content):
        doc = Document(BytesIO(content))
        cells = [c.text for t in doc.tables for r in t.rows for c in r.cells]
        return "\n".join([p.text for p in doc.paragraphs] + cells)

    assert "抽取 12 个" in text(english) and "Draw 12" not in text(english)
    assert text(english).count("\n") == text(reference).count("\n")
    verify = client.get(reverse("onsite:draw_verify", args=[draw.pk]), **EN).content.decode()
    assert "The draw digest (SHA-256) matches" in verify
