"""LDAP / Active Directory sign-in on ldap3 (pure Python: no compiler or libldap headers).

Search the user with the service account (or anonymously), then bind as the found DN with
the typed password. Configured by KAOHE_LDAP_* settings (docs/configuration.md).
"""

import logging

import ldap3
from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from ldap3.core.exceptions import LDAPException
from ldap3.utils.conv import escape_filter_chars

from .provision import sso_user

log = logging.getLogger(__name__)


def _server():
    return ldap3.Server(
        settings.KAOHE_LDAP_URL,
        connect_timeout=settings.KAOHE_LDAP_TIMEOUT,
        get_info=ldap3.NONE,
    )


def _connection(server, user=None, password=None):
    connection = ldap3.Connection(
        server,
        user=user,
        password=password,
        receive_timeout=settings.KAOHE_LDAP_TIMEOUT,
        raise_exceptions=True,
        read_only=True,
    )
    if settings.KAOHE_LDAP_START_TLS:
        connection.open()
        connection.start_tls()
    return connection


def _first(attributes: dict, name: str) -> str:
    value = attributes.get(name) if name else None
    if isinstance(value, list | tuple):
        value = value[0] if value else ""
    return str(value or "")


def ldap_lookup(username: str, password: str) -> dict | None:
    """The directory entry of `username` if `password` binds as it; None otherwise."""
    server = _server()
    wanted = [settings.KAOHE_LDAP_ATTR_USERNAME, settings.KAOHE_LDAP_ATTR_NAME]
    wanted.append(settings.KAOHE_LDAP_ATTR_EMAIL)
    query = settings.KAOHE_LDAP_USER_FILTER.format(username=escape_filter_chars(username))
    try:
        with _connection(
            server, settings.KAOHE_LDAP_BIND_DN or None, settings.KAOHE_LDAP_BIND_PASSWORD or None
        ) as search:
            search.search(settings.KAOHE_LDAP_BASE_DN, query, attributes=[a for a in wanted if a])
            entries = [e for e in search.response if e.get("type") == "searchResEntry"]
        if len(entries) != 1:
            return None
        entry = entries[0]
        with _connection(server, entry["dn"], password):
            pass  # the bind as the user is the password check
    except LDAPException as exc:
        log.warning("LDAP sign-in for %r failed: %s", username, exc)
        return None
    return {"dn": entry["dn"], "attributes": dict(entry.get("attributes", {}))}


class LDAPBackend(ModelBackend):
    """Authenticates against the directory; the user is mapped by provision.sso_user."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if not (settings.KAOHE_LDAP_URL and username and password):
            return None
        entry = ldap_lookup(str(username)[:150], str(password))
        if entry is None:
            return None
        attributes = entry["attributes"]
        user = sso_user(
            username=_first(attributes, settings.KAOHE_LDAP_ATTR_USERNAME) or str(username),
            source="ldap",
            display_name=_first(attributes, settings.KAOHE_LDAP_ATTR_NAME),
            email=_first(attributes, settings.KAOHE_LDAP_ATTR_EMAIL),
        )
        # An inactive user is returned so the login form says "not enabled yet" (not "wrong
        # password"); Django's form refuses to sign it in.
        return user
