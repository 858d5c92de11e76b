"""The user's own API tokens: create (the secret is shown once), list, revoke."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .forms import TokenForm
from .selectors import access_token, user_tokens
from .services import token_create, token_revoke


@login_required
def token_list(request):
    form = TokenForm(request.POST or None)
    secret = None
    if request.method == "POST" and form.is_valid():
        try:
            _token, secret = token_create(
                user=request.user,
                name=form.cleaned_data["name"],
                scope=form.cleaned_data["scope"],
                days=form.cleaned_data["days"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            form = TokenForm()
    response = render(
        request,
        "api/tokens.html",
        {"form": form, "tokens": user_tokens(request.user), "secret": secret},
    )
    response["Cache-Control"] = "no-store"  # the page may show a secret once
    return response


@login_required
@require_POST
def token_revoke_view(request, pk):
    token = access_token(request.user, pk)
    token_revoke(token=token, actor=request.user)
    messages.success(request, _("令牌“%(name)s”已撤销。") % {"name": token.name})
    return redirect("api:tokens")
