"""CAS 3 sign-in against a real CAS server (django-cas-server, its own process on
127.0.0.1): service ticket issued at the server, validated by kaohe over HTTP."""

from urllib.parse import urlsplit

import pytest
from django.test import Client

from kaohe.accounts.choices import Role
from kaohe.accounts.models import User
from kaohe.audit.models import AuditEvent
from kaohe.common.testing import make_unit, make_user

from . import peers

PORT = peers.free_port()


@pytest.fixture(scope="module")
def cas_server(tmp_path_factory, live_server):
    # The server's single-logout requests go to a live kaohe (the test client's host is not
    # reachable from another process).
    process = peers.start(
        "cas",
        PORT,
        tmp_path_factory.mktemp("cas"),
        PEER_SLO_CALLBACK=f"{live_server.url}/sso/cas/login/",
    )
    yield f"http://127.0.0.1:{PORT}/cas/"
    peers.stop(process)


@pytest.fixture
def cas_on(cas_server, settings, db):
    _configure(cas_server, settings)


@pytest.fixture
def cas_on_live(cas_server, settings, transactional_db):
    """As cas_on, with data committed so the live server (another thread) sees it."""
    _configure(cas_server, settings)


def _configure(cas_server, settings):
    settings.CAS_SERVER_URL = cas_server
    settings.AUTHENTICATION_BACKENDS = [
        *settings.AUTHENTICATION_BACKENDS,
        "kaohe.accounts.sso.cas.CASBackend",
    ]
    city = make_unit("测试市")
    make_user("office1", role=Role.OFFICE_ADMIN, unit=city, subtree=True)
    make_user("sysadm", role=Role.SYSTEM_ADMIN, unit=city, subtree=True)


def _sso(username: str, password: str = peers.USERS[0][2], idp=None):
    client = Client()
    start = client.get("/sso/cas/login/?next=/schemes/")
    assert start.status_code == 302 and start["Location"].startswith("http://127.0.0.1")
    back = peers.sign_in_at_idp(start["Location"], username, password, idp)
    parts = urlsplit(back)
    assert "ticket=ST-" in parts.query
    return client, client.get(f"{parts.path}?{parts.query}")


def test_login_page_offers_cas(cas_on):
    assert "统一身份认证登录（CAS）" in Client().get("/login/").content.decode()


def test_existing_user_signs_in_and_out(cas_on):
    client, response = _sso("office1")
    assert response.status_code == 302 and response["Location"] == "/schemes/"
    assert client.get("/").context["user"].username == "office1"
    event = AuditEvent.objects.filter(action="login.success").latest("pk")
    assert '"cas"' in event.after
    client.post("/logout/")
    assert AuditEvent.objects.filter(action="logout", actor_username="office1").exists()


def test_first_login_creates_an_inactive_user(cas_on):
    client, response = _sso("lisi")
    assert response["Location"] == "/login/?sso=failed"
    user = User.objects.get(username="lisi")
    assert not user.is_active and not user.role_assignments.exists()
    assert user.display_name == "李四" and user.email == "lisi@idp.test"
    assert client.get("/").status_code == 302


def test_three_admins_are_refused(cas_on):
    _client, response = _sso("sysadm")
    assert response["Location"] == "/login/?sso=failed"
    assert AuditEvent.objects.filter(action="login.sso.refused").exists()


def test_a_forged_ticket_signs_nobody_in(cas_on):
    client = Client()
    response = client.get("/sso/cas/login/?ticket=ST-forged")
    assert response["Location"] == "/login/?sso=failed"
    assert client.get("/").status_code == 302


def test_disabled_cas_is_404(db, settings):
    settings.CAS_SERVER_URL = ""
    assert Client().get("/sso/cas/login/").status_code == 404


def test_logout_goes_through_the_cas_server(cas_on, cas_server):
    idp = peers.browser()
    client, response = _sso("office1", idp=idp)
    assert response["Location"] == "/schemes/"
    response = client.post("/logout/")
    leave = response["Location"]
    assert response.status_code == 302 and leave.startswith(f"{cas_server}logout?")
    assert client.get("/").status_code == 302
    assert AuditEvent.objects.filter(action="logout", actor_username="office1").exists()
    assert peers.follow_at_idp(leave, idp) == f"{peers.RP_BASE}/login/"
    # The CAS session is over: a new sign-in asks for the password again.
    start = Client().get("/sso/cas/login/")["Location"]
    assert peers.follow_at_idp(start, idp) == ""


def test_local_logout_of_a_local_session_stays_local(cas_on):
    client = Client()
    client.force_login(User.objects.get(username="office1"))
    response = client.post("/logout/")
    assert response.status_code == 302 and response["Location"] == "/login/"


def test_single_logout_from_the_cas_server_ends_the_kaohe_session(cas_on_live, cas_server):
    """Signing out at the CAS server (another application's logout) makes the server post a
    logoutRequest to kaohe, which ends the session signed in with that ticket."""
    from kaohe.accounts.models import UserSession

    idp = peers.browser()
    client, response = _sso("office1", idp=idp)
    assert response["Location"] == "/schemes/"
    assert client.get("/").status_code == 200
    assert UserSession.objects.filter(user__username="office1").count() == 1
    assert peers.follow_at_idp(f"{cas_server}logout", idp) == ""  # the server's own page
    assert client.get("/").status_code == 302  # the kaohe session is gone
    assert not UserSession.objects.filter(user__username="office1").exists()
    event = AuditEvent.objects.filter(action="logout", actor_username="office1").latest("pk")
    assert '"single_logout":true' in event.after


def test_a_forged_logout_request_ends_nothing(cas_on):
    client, _response = _sso("office1")
    forged = (
        '<samlp:LogoutRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="x" '
        'Version="2.0" IssueInstant="2026-01-01T00:00:00Z"><saml:NameID '
        'xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion">@NOT_USED@</saml:NameID>'
        "<samlp:SessionIndex>ST-forged</samlp:SessionIndex></samlp:LogoutRequest>"
    )
    assert Client().post("/sso/cas/login/", {"logoutRequest": forged}).status_code == 200
    assert client.get("/").status_code == 200
    assert Client().post("/sso/cas/login/", {"other": "1"}).status_code == 404
    for bad in ("not xml <", "<a>" + "x" * 30_000 + "</a>"):
        response = Client().post("/sso/cas/login/", {"logoutRequest": bad})
        assert response.status_code == 400
    assert client.get("/").status_code == 200
