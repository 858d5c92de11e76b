"""CAS 2/3 sign-in (django-cas-ng): the service ticket is validated with the CAS server;
the user is mapped by provision.sso_user (an inactive user is not signed in)."""

from django.conf import settings
from django_cas_ng.backends import CASBackend as BaseCASBackend
from django_cas_ng.utils import get_cas_client

from .provision import sso_user


def enabled() -> bool:
    return bool(getattr(settings, "CAS_SERVER_URL", ""))


def _first(value) -> str:
    if isinstance(value, list | tuple):
        value = value[0] if value else ""
    return str(value or "")


class CASBackend(BaseCASBackend):
    def authenticate(self, request, ticket: str, service: str):
        if not enabled():
            return None
        client = get_cas_client(service_url=service, request=request)
        username, attributes, _pgtiou = client.verify_ticket(ticket)
        attributes = attributes or {}
        if settings.CAS_USERNAME_ATTRIBUTE != "cas:user":
            username = _first(attributes.get(settings.CAS_USERNAME_ATTRIBUTE))
        if not username:
            return None
        user = sso_user(
            username=str(username)[:150],
            source="cas",
            display_name=_first(attributes.get(settings.KAOHE_CAS_NAME_ATTRIBUTE)),
            email=_first(attributes.get(settings.KAOHE_CAS_EMAIL_ATTRIBUTE)),
        )
        return user if user is not None and user.is_active else None
