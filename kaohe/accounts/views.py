"""Sign-in pages and the home page."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from kaohe.accounts.access import visible_schemes


@login_required
def home(request):
    schemes = visible_schemes(request.user).select_related("owner_unit")
    return render(request, "accounts/home.html", {"schemes": schemes})
