"""Help inside the app: the pages of docs/ rendered as HTML (no path to a .md file is shown)."""

import re
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from markdown_it import MarkdownIt

DOCS = Path(settings.BASE_DIR) / "docs"
# The pages offered, in reading order (configuration and deployment are for operators).
PAGES = [
    ("tasks", _("任务分解与材料报送")),
    ("onsite", _("实地考核")),
    ("scoring", _("计分、排名与等次")),
    ("exams", _("依法行政能力测试")),
    ("surveys", _("满意度调查")),
    ("publishing", _("公示、复核、通报与整改")),
    ("notice-format", _("结果通报的公文格式")),
    ("import-export", _("导入与导出")),
    ("security", _("角色、权限与安全")),
    ("api", _("数据接口（对接其他系统）")),
    ("configuration", _("运维：配置")),
    ("deployment", _("运维：部署")),
    ("architecture", _("维护：系统架构")),
]
SLUGS = {slug for slug, _title in PAGES}
MD_LINK = re.compile(r'href="(?:\./)?([a-z-]+)\.md(#[^"]*)?"')
MD_NAME = re.compile(r"(?:docs/)?\b([a-z-]+)\.md\b")


@lru_cache(maxsize=32)
def _render(slug: str, mtime: float) -> str:
    text = (DOCS / f"{slug}.md").read_text(encoding="utf-8")
    html = MarkdownIt("commonmark", {"html": False}).enable("table").render(text)
    # Links between the documents stay inside the app; a file name in the text becomes the
    # page's title (a user never sees a path to a .md file).
    html = MD_LINK.sub(
        lambda m: (
            f'href="{reverse("home:help_page", args=[m.group(1)])}{m.group(2) or ""}"'
            if m.group(1) in SLUGS
            else m.group(0)
        ),
        html,
    )
    titles = dict(PAGES)
    return MD_NAME.sub(
        lambda m: f"“{titles[m.group(1)]}”" if m.group(1) in titles else m.group(0), html
    )


def help_html(slug: str) -> str:
    path = DOCS / f"{slug}.md"
    if slug not in SLUGS or not path.exists():
        raise Http404("帮助页面不存在")
    return _render(slug, path.stat().st_mtime)
