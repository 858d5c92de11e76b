"""Entry points of the OIDC and CAS sign-in; 404 while the protocol is not configured.
A refused sign-in (unknown to the IdP, not enabled yet, a 三员 admin) returns to the login
page with a message; the reason is in the audit log.

Logout (the site's /logout/) leaves the identity provider too when the session came from it:
OIDC through the provider's end-session endpoint, CAS through the CAS server's /logout. The
CAS server's own logout requests (single logout, SLO) arrive as a POST at /sso/cas/login/."""

from django.contrib.auth import views as auth_views
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from . import cas, oidc
from .provision import SSO_VIA

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


@csrf_exempt  # the CAS server posts its logout requests here (checked by their ticket)
@never_cache
def cas_login(request):
    if not cas.enabled():
        raise Http404("未启用 CAS 登录")
    from django_cas_ng.views import LoginView

    if request.method == "POST":
        return _cas_single_logout(request)
    try:
        return LoginView.as_view()(request)
    except PermissionDenied:
        return redirect(FAILED)


SLO_MAX_BYTES = 20_000


def _cas_single_logout(request):
    """The CAS server's logoutRequest: end the session signed in with the named service ticket
    (django-cas-ng's clean_sessions). Anything else — no request, oversized, not XML — is
    refused before django-cas-ng sees it (it would fail on unparsable XML)."""
    from django_cas_ng.utils import get_cas_client
    from django_cas_ng.views import clean_sessions

    text = request.POST.get("logoutRequest", "")
    if not text:
        raise Http404("未知的 CAS 请求")
    client = get_cas_client(request=request)
    if len(text) > SLO_MAX_BYTES or client.get_saml_slos(text) is None:
        return HttpResponseBadRequest("logoutRequest 格式不正确", content_type="text/plain")
    clean_sessions(client, request)
    return HttpResponse("ok", content_type="text/plain")


@require_POST
@never_cache
def logout(request):
    """Sign out here; a session that came from an identity provider leaves it as well."""
    via = request.session.get(SSO_VIA) if request.user.is_authenticated else None
    if via == "oidc" and oidc.enabled():
        from mozilla_django_oidc.views import OIDCLogoutView

        return OIDCLogoutView.as_view()(request)
    if via == "cas" and cas.enabled():
        from django_cas_ng.views import LogoutView

        return LogoutView.as_view()(request)
    return auth_views.LogoutView.as_view()(request)
