"""Search and help pages (the home page itself is kaohe.views.home, using selectors.todo)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.safestring import mark_safe

from . import selectors
from .help import PAGES, help_html


@login_required
def search(request):
    q = request.GET.get("q", "")
    return render(
        request,
        "home/search.html",
        {"q": q.strip()[:50], "found": selectors.search(request.user, q)},
    )


@login_required
def help_index(request):
    return render(request, "home/help.html", {"pages": PAGES})


@login_required
def help_page(request, slug):
    html = help_html(slug)  # our own docs/, rendered without raw HTML
    title = dict(PAGES)[slug]
    return render(
        request,
        "home/help_page.html",
        {"pages": PAGES, "slug": slug, "title": title, "html": mark_safe(html)},  # noqa: S308
    )
