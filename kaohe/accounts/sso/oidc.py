"""OpenID Connect sign-in (mozilla-django-oidc, authorization code flow with ID token
signature check): the identity is mapped by provision.sso_user, never the IdP's roles."""

from urllib.parse import urlencode

from django.conf import settings
from django.shortcuts import resolve_url
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from .provision import sso_user


def enabled() -> bool:
    return bool(getattr(settings, "OIDC_RP_CLIENT_ID", ""))


class OIDCBackend(OIDCAuthenticationBackend):
    def authenticate(self, request, **kwargs):
        if not enabled():
            return None
        return super().authenticate(request, **kwargs)

    def verify_claims(self, claims) -> bool:
        return bool(claims.get(settings.KAOHE_OIDC_USERNAME_CLAIM))

    def get_or_create_user(self, access_token, id_token, payload):
        claims = self.get_userinfo(access_token, id_token, payload)
        if not self.verify_claims(claims):
            return None
        return sso_user(
            username=str(claims[settings.KAOHE_OIDC_USERNAME_CLAIM])[:150],
            source="oidc",
            display_name=str(claims.get("name", "")),
            email=str(claims.get("email", "")),
        )


def provider_logout_url(request) -> str:
    """OIDC_OP_LOGOUT_URL_METHOD: where the browser goes after leaving kaohe. With the
    provider's end_session_endpoint, there (RP-initiated logout, with the ID token as the hint
    and the login page to come back to); otherwise kaohe's login page."""
    back = request.build_absolute_uri(resolve_url(settings.LOGOUT_REDIRECT_URL))
    endpoint = getattr(settings, "KAOHE_OIDC_END_SESSION_ENDPOINT", "")
    if not endpoint:
        return back
    params = {"post_logout_redirect_uri": back, "client_id": settings.OIDC_RP_CLIENT_ID}
    hint = request.session.get("oidc_id_token")
    if hint:
        params["id_token_hint"] = hint
    return f"{endpoint}{'&' if '?' in endpoint else '?'}{urlencode(params)}"
