"""The one notifications page: list (paginated) and mark all read (POST only)."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from . import selectors, services

PER_PAGE = 50


@login_required
@require_http_methods(["GET", "POST"])
def inbox(request):
    if request.method == "POST":
        services.notifications_mark_read(user=request.user)
        return redirect("notifications:inbox")
    page = Paginator(selectors.inbox(request.user), PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "notifications/inbox.html", {"page": page})
