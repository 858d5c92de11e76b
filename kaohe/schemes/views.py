"""Scheme pages: list, detail, editing, indicator tree, subjects, score entry."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from kaohe.accounts import access


@login_required
def scheme_list(request):
    schemes = access.visible_schemes(request.user).select_related("owner_unit")
    return render(request, "schemes/scheme_list.html", {"schemes": schemes})


@login_required
def scheme_detail(request, pk):
    scheme = access.access_scheme(request.user, pk)
    return render(request, "schemes/scheme_detail.html", {"scheme": scheme})
