"""Single sign-on settings (docs/configuration.md, docs/security.md): LDAP, OpenID Connect
and CAS, each off until its variables are given; local accounts always keep working.
`SSO_BACKENDS` lists the authentication backends the configured protocols add."""

import os

from django.core.exceptions import ImproperlyConfigured

from .env import env_bool

SSO_BACKENDS: list[str] = []

# 三员 admins (system/security/audit) and superusers sign in only locally unless this is on.
KAOHE_SSO_ADMINS = env_bool("KAOHE_SSO_ADMINS", False)
# LDAP / Active Directory (ldap3, pure Python).
KAOHE_LDAP_URL = os.environ.get("KAOHE_LDAP_URL", "")
KAOHE_LDAP_BIND_DN = os.environ.get("KAOHE_LDAP_BIND_DN", "")
KAOHE_LDAP_BIND_PASSWORD = os.environ.get("KAOHE_LDAP_BIND_PASSWORD", "")
KAOHE_LDAP_BASE_DN = os.environ.get("KAOHE_LDAP_BASE_DN", "")
KAOHE_LDAP_USER_FILTER = os.environ.get("KAOHE_LDAP_USER_FILTER", "(uid={username})")
KAOHE_LDAP_ATTR_USERNAME = os.environ.get("KAOHE_LDAP_ATTR_USERNAME", "uid")
KAOHE_LDAP_ATTR_NAME = os.environ.get("KAOHE_LDAP_ATTR_NAME", "cn")
KAOHE_LDAP_ATTR_EMAIL = os.environ.get("KAOHE_LDAP_ATTR_EMAIL", "mail")
KAOHE_LDAP_START_TLS = env_bool("KAOHE_LDAP_START_TLS", False)
KAOHE_LDAP_TIMEOUT = int(os.environ.get("KAOHE_LDAP_TIMEOUT", "5"))
if KAOHE_LDAP_URL:
    if not KAOHE_LDAP_BASE_DN:
        raise ImproperlyConfigured("设置了 KAOHE_LDAP_URL 时必须同时设置 KAOHE_LDAP_BASE_DN。")
    SSO_BACKENDS.append("kaohe.accounts.sso.ldap.LDAPBackend")

# OpenID Connect (mozilla-django-oidc): on when KAOHE_OIDC_CLIENT_ID is set.
OIDC_RP_CLIENT_ID = os.environ.get("KAOHE_OIDC_CLIENT_ID", "")
OIDC_RP_CLIENT_SECRET = os.environ.get("KAOHE_OIDC_CLIENT_SECRET", "")
OIDC_OP_AUTHORIZATION_ENDPOINT = os.environ.get("KAOHE_OIDC_AUTHORIZATION_ENDPOINT", "")
OIDC_OP_TOKEN_ENDPOINT = os.environ.get("KAOHE_OIDC_TOKEN_ENDPOINT", "")
OIDC_OP_USER_ENDPOINT = os.environ.get("KAOHE_OIDC_USERINFO_ENDPOINT", "")
OIDC_OP_JWKS_ENDPOINT = os.environ.get("KAOHE_OIDC_JWKS_ENDPOINT", "")
OIDC_RP_SIGN_ALGO = os.environ.get("KAOHE_OIDC_SIGN_ALGO", "RS256")
OIDC_RP_SCOPES = os.environ.get("KAOHE_OIDC_SCOPES", "openid profile email")
OIDC_AUTHENTICATION_CALLBACK_URL = "sso_oidc_callback"
OIDC_TIMEOUT = int(os.environ.get("KAOHE_OIDC_TIMEOUT", "10"))
LOGIN_REDIRECT_URL_FAILURE = "/login/?sso=failed"
KAOHE_OIDC_USERNAME_CLAIM = os.environ.get("KAOHE_OIDC_USERNAME_CLAIM", "preferred_username")
# Single logout: leaving kaohe also ends the provider's session (RP-initiated logout) when the
# provider's end_session_endpoint is given; the ID token is kept in the session as its hint.
KAOHE_OIDC_END_SESSION_ENDPOINT = os.environ.get("KAOHE_OIDC_END_SESSION_ENDPOINT", "")
OIDC_STORE_ID_TOKEN = bool(KAOHE_OIDC_END_SESSION_ENDPOINT)
OIDC_OP_LOGOUT_URL_METHOD = "kaohe.accounts.sso.oidc.provider_logout_url"
if OIDC_RP_CLIENT_ID:
    missing = [
        name
        for name, value in {
            "KAOHE_OIDC_CLIENT_SECRET": OIDC_RP_CLIENT_SECRET,
            "KAOHE_OIDC_AUTHORIZATION_ENDPOINT": OIDC_OP_AUTHORIZATION_ENDPOINT,
            "KAOHE_OIDC_TOKEN_ENDPOINT": OIDC_OP_TOKEN_ENDPOINT,
            "KAOHE_OIDC_USERINFO_ENDPOINT": OIDC_OP_USER_ENDPOINT,
            "KAOHE_OIDC_JWKS_ENDPOINT": OIDC_OP_JWKS_ENDPOINT
            if OIDC_RP_SIGN_ALGO.startswith("RS")
            else "-",
        }.items()
        if not value
    ]
    if missing:
        raise ImproperlyConfigured("启用 OpenID Connect 登录还须设置：" + "、".join(missing))
    SSO_BACKENDS.append("kaohe.accounts.sso.oidc.OIDCBackend")
# CAS 2/3 (django-cas-ng, the usual 统一身份认证 protocol): on when KAOHE_CAS_SERVER_URL is set.
CAS_SERVER_URL = os.environ.get("KAOHE_CAS_SERVER_URL", "")
CAS_VERSION = os.environ.get("KAOHE_CAS_VERSION", "3")
CAS_USERNAME_ATTRIBUTE = os.environ.get("KAOHE_CAS_USERNAME_ATTRIBUTE", "cas:user")
KAOHE_CAS_NAME_ATTRIBUTE = os.environ.get("KAOHE_CAS_NAME_ATTRIBUTE", "name")
KAOHE_CAS_EMAIL_ATTRIBUTE = os.environ.get("KAOHE_CAS_EMAIL_ATTRIBUTE", "mail")
CAS_LOGIN_MSG = None
CAS_LOGGED_MSG = None
CAS_CREATE_USER = False
# Single logout: leaving kaohe goes through the CAS server's /logout (ending the CAS session),
# which sends the browser back to the login page; the server's own logout requests (SLO) are
# received at the service address /sso/cas/login/ (django-cas-ng).
CAS_LOGOUT_COMPLETELY = env_bool("KAOHE_CAS_LOGOUT_COMPLETELY", True)
CAS_LOGOUT_NEXT_PAGE = "/login/"
if CAS_SERVER_URL:
    SSO_BACKENDS.append("kaohe.accounts.sso.cas.CASBackend")
