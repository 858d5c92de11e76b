"""The top floor's own page: the home page, which gathers every app's work for the user."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponsePermanentRedirect
from django.shortcuts import render
from django.templatetags.static import static

from kaohe.home.selectors import todo
from kaohe.schemes.access import visible_schemes


@login_required
def home(request):
    """The to-do list of the user's roles (kaohe.home.selectors) beside their schemes."""
    schemes = visible_schemes(request.user).select_related("owner_unit")
    return render(request, "home.html", {"schemes": schemes, "sections": todo(request.user)})


def favicon(request):
    """Pages name their icon; this answers tools that still ask for /favicon.ico. The static URL is
    resolved per request: with the manifest storage it only exists after collectstatic."""
    return HttpResponsePermanentRedirect(static("kaohe/favicon.svg"))
