"""Entry points of the OIDC and CAS sign-in; 404 while the protocol is not configured.
A refused sign-in (unknown to the IdP, not enabled yet, a 三员 admin) returns to the login
page with a message; the reason is in the audit log."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.views.decorators.cache import never_cache

from . import cas, oidc

FAILED = "/login/?sso=failed"


@never_cache
def oidc_start(request):
    if not oidc.enabled():
        raise Http404("未启用 OpenID Connect 登录")
    from mozilla_django_oidc.views import OIDCAuthenticationRequestView

    return OIDCAuthenticationRequestView.as_view()(request)


@never_cache
def oidc_callback(request):
    if not oidc.enabled():
        raise Http404("未启用 OpenID Connect 登录")
    from mozilla_django_oidc.views import OIDCAuthenticationCallbackView

    return OIDCAuthenticationCallbackView.as_view()(request)


@never_cache
def cas_login(request):
    if not cas.enabled():
        raise Http404("未启用 CAS 登录")
    from django_cas_ng.views import LoginView

    try:
        return LoginView.as_view()(request)
    except PermissionDenied:
        return redirect(FAILED)
