"""OpenID Connect sign-in against a real provider (django-oidc-provider, its own process on
127.0.0.1): authorization code flow, RS256 ID token checked against the provider's JWKS."""

from urllib.parse import urlsplit

import pytest
from django.test import Client

from kaohe.accounts.choices import Role
from kaohe.accounts.models import User
from kaohe.audit.models import AuditEvent
from kaohe.common.testing import make_unit, make_user

from . import peers

PORT = peers.free_port()
CLIENT_ID, CLIENT_SECRET = "kaohe-rp", "rp-secret-for-tests"


@pytest.fixture(scope="module")
def provider(tmp_path_factory):
    process = peers.start(
        "oidc",
        PORT,
        tmp_path_factory.mktemp("oidc"),
        PEER_CLIENT_ID=CLIENT_ID,
        PEER_CLIENT_SECRET=CLIENT_SECRET,
    )
    yield f"http://127.0.0.1:{PORT}/openid"
    peers.stop(process)


@pytest.fixture
def oidc_on(provider, settings, db):
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = CLIENT_SECRET
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = f"{provider}/authorize"
    settings.OIDC_OP_TOKEN_ENDPOINT = f"{provider}/token"
    settings.OIDC_OP_USER_ENDPOINT = f"{provider}/userinfo"
    settings.OIDC_OP_JWKS_ENDPOINT = f"{provider}/jwks"
    settings.AUTHENTICATION_BACKENDS = [
        *settings.AUTHENTICATION_BACKENDS,
        "kaohe.accounts.sso.oidc.OIDCBackend",
    ]
    city = make_unit("测试市")
    make_user("office1", role=Role.OFFICE_ADMIN, unit=city, subtree=True)
    make_user("sysadm", role=Role.SYSTEM_ADMIN, unit=city, subtree=True)


def _sso(username: str) -> tuple[Client, object]:
    client = Client()
    start = client.get("/sso/oidc/start/?next=/schemes/")
    assert start.status_code == 302 and start["Location"].startswith("http://127.0.0.1")
    back = peers.sign_in_at_idp(start["Location"], username, "Idp-pass-2020")
    parts = urlsplit(back)
    return client, client.get(f"{parts.path}?{parts.query}")


def test_login_page_offers_oidc(oidc_on):
    assert "统一身份认证登录（OpenID Connect）" in Client().get("/login/").content.decode()


def test_existing_user_signs_in_and_out(oidc_on):
    client, response = _sso("office1")
    assert response.status_code == 302 and response["Location"] == "/schemes/"
    assert client.get("/").status_code == 200
    assert client.get("/").context["user"].username == "office1"
    event = AuditEvent.objects.filter(action="login.success").latest("pk")
    assert event.actor_username == "office1" and '"oidc"' in event.after
    client.post("/logout/")
    assert AuditEvent.objects.filter(action="logout", actor_username="office1").exists()


def test_first_login_creates_an_inactive_user(oidc_on):
    client, response = _sso("lisi")
    assert response.status_code == 302 and response["Location"] == "/login/?sso=failed"
    user = User.objects.get(username="lisi")
    assert not user.is_active and user.display_name == "李四" and not user.role_assignments.exists()
    assert client.get("/").status_code == 302  # not signed in
    assert "统一身份认证登录未成功" in client.get("/login/?sso=failed").content.decode()


def test_three_admins_are_refused_unless_configured(oidc_on, settings):
    _client, response = _sso("sysadm")
    assert response["Location"] == "/login/?sso=failed"
    assert AuditEvent.objects.filter(action="login.sso.refused").exists()
    settings.KAOHE_SSO_ADMINS = True
    _client, response = _sso("sysadm")
    assert response["Location"] == "/schemes/"


def test_a_forged_callback_signs_nobody_in(oidc_on):
    client = Client()
    client.get("/sso/oidc/start/")
    response = client.get("/sso/oidc/callback/?code=forged&state=forged")
    assert response.status_code in (302, 400) and client.get("/").status_code == 302


def test_disabled_oidc_is_404(db, settings):
    settings.OIDC_RP_CLIENT_ID = ""
    assert Client().get("/sso/oidc/start/").status_code == 404


def test_logout_ends_the_provider_session_too(oidc_on, provider, settings):
    """RP-initiated logout: kaohe's /logout/ sends the browser to the provider's end-session
    endpoint with the ID token as hint; the provider ends its session and sends it back."""
    settings.KAOHE_OIDC_END_SESSION_ENDPOINT = f"{provider}/end-session"
    settings.OIDC_STORE_ID_TOKEN = True
    idp = peers.browser()
    client = Client()
    start = client.get("/sso/oidc/start/?next=/schemes/")
    back = urlsplit(peers.sign_in_at_idp(start["Location"], "office1", "Idp-pass-2020", idp))
    assert client.get(f"{back.path}?{back.query}")["Location"] == "/schemes/"
    # While signed in at the provider, a new sign-in comes straight back (no form).
    again = Client().get("/sso/oidc/start/")["Location"]
    assert peers.follow_at_idp(again, idp).startswith(peers.RP_BASE)
    response = client.post("/logout/")
    assert response.status_code == 302
    leave = response["Location"]
    assert leave.startswith(f"{provider}/end-session?") and "id_token_hint=" in leave
    assert client.get("/").status_code == 302  # signed out here
    assert AuditEvent.objects.filter(action="logout", actor_username="office1").exists()
    assert peers.follow_at_idp(leave, idp) == f"{peers.RP_BASE}/login/"
    # Signed out at the provider: the next sign-in shows its login form again.
    assert peers.follow_at_idp(Client().get("/sso/oidc/start/")["Location"], idp) == ""


def test_logout_without_end_session_endpoint_stays_local(oidc_on, settings):
    settings.KAOHE_OIDC_END_SESSION_ENDPOINT = ""
    client, _response = _sso("office1")
    response = client.post("/logout/")
    assert response.status_code == 302 and response["Location"].endswith("/login/")
    assert client.get("/").status_code == 302
