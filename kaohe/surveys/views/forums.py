"""Forum records and their opinions (→ rectification items)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from .. import selectors
from ..forms import ForumForm
from ..services import forums as services
from .common import flash, office_scheme


@login_required
def forum_new(request, scheme_id):
    scheme = office_scheme(request.user, scheme_id)
    form = ForumForm(request.POST or None, scheme=scheme)
    if request.method == "POST" and form.is_valid():
        try:
            forum = services.forum_save(scheme=scheme, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            flash(request, exc)
        else:
            return redirect("surveys:forum", pk=forum.pk)
    return render(request, "surveys/forum_form.html", {"scheme": scheme, "form": form})


@login_required
def forum_detail(request, pk):
    forum = selectors.access_forum(request.user, pk)
    if request.method == "POST":
        try:
            services.opinion_add(forum=forum, text=request.POST.get("text", ""), actor=request.user)
            messages.success(request, _("意见已记录。"))
        except ValidationError as exc:
            flash(request, exc)
        return redirect("surveys:forum", pk=pk)
    return render(
        request,
        "surveys/forum.html",
        {
            "forum": forum,
            "scheme": forum.scheme,
            "opinions": forum.opinions.all(),
            "subjects": forum.scheme.subjects.select_related("unit"),
        },
    )
