"""The progress of a background run a user started from a page (polled with htmx)."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from .services import run_of


@login_required
def run_status(request, pk):
    run = run_of(request.user, pk)
    if run is None:
        raise Http404("任务不存在")
    return render(request, "background/_run.html", {"run": run})
