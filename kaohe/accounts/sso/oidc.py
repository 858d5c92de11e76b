"""OpenID Connect sign-in (mozilla-django-oidc, authorization code flow with ID token
signature check): the identity is mapped by provision.sso_user, never the IdP's roles."""

from django.conf import settings
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
