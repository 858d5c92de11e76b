"""LDAP sign-in against a real slapd on 127.0.0.1 (Debian package), seeded with users."""

import pytest
from django.test import Client

from kaohe.accounts.choices import Role
from kaohe.accounts.models import User
from kaohe.audit.models import AuditEvent
from kaohe.common.testing import make_unit, make_user

from . import peers, slapd

PORT = peers.free_port()
PASSWORD = "Ldap-pass-2020"  # noqa: S105
USERS = [
    ("zhangsan", "张三", PASSWORD),  # unknown here: created inactive
    ("office1", "考核办 王五", PASSWORD),  # exists locally: mapped by username
    ("sysadm", "系统管理员", PASSWORD),  # a 三员 admin: local sign-in only
]


@pytest.fixture(scope="module")
def directory(tmp_path_factory):
    reason = slapd.missing_reason()
    if reason:
        pytest.skip(reason)
    process = slapd.start(tmp_path_factory.mktemp("slapd"), PORT, USERS)
    yield f"ldap://127.0.0.1:{PORT}"
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture
def ldap_on(directory, settings, db):
    settings.KAOHE_LDAP_URL = directory
    settings.KAOHE_LDAP_BASE_DN = f"ou=people,{slapd.SUFFIX}"
    settings.KAOHE_LDAP_BIND_DN = slapd.ROOT_DN
    settings.KAOHE_LDAP_BIND_PASSWORD = slapd.ROOT_PW
    settings.AUTHENTICATION_BACKENDS = [
        *settings.AUTHENTICATION_BACKENDS,
        "kaohe.accounts.sso.ldap.LDAPBackend",
    ]
    city = make_unit("测试市")
    office = make_user("office1", role=Role.OFFICE_ADMIN, unit=city, subtree=True)
    office.set_unusable_password()
    office.save()
    make_user("sysadm", role=Role.SYSTEM_ADMIN, unit=city, subtree=True)
    return city


def _login(username, password):
    client = Client()
    response = client.post("/login/", {"username": username, "password": password})
    return client, response


def test_existing_user_signs_in_with_the_directory_password(ldap_on):
    client, response = _login("office1", PASSWORD)
    assert response.status_code == 302, response.content.decode()[:500]
    assert client.get("/").status_code == 200
    event = AuditEvent.objects.filter(action="login.success").latest("pk")
    assert event.actor_username == "office1" and '"ldap"' in event.after
    # The directory does not change roles: still exactly the local office role.
    assert list(
        User.objects.get(username="office1").role_assignments.values_list("role", flat=True)
    ) == [Role.OFFICE_ADMIN]
    client.post("/logout/")
    assert AuditEvent.objects.filter(action="logout", actor_username="office1").exists()


def test_first_login_creates_an_inactive_user_without_roles(ldap_on):
    _client, response = _login("zhangsan", PASSWORD)
    assert response.status_code == 200, response
    assert "账号尚未启用" in str(response.context["form"].errors), response.context["form"].errors
    user = User.objects.get(username="zhangsan")
    assert not user.is_active and not user.has_usable_password()
    assert user.display_name == "张三" and user.email == "zhangsan@kaohe.test"
    assert not user.role_assignments.exists()
    assert AuditEvent.objects.filter(action="sso.user.create", object_id=str(user.pk)).exists()
    # Enabled by an admin, the next sign-in works (still no roles until assigned).
    User.objects.filter(pk=user.pk).update(is_active=True)
    _client, response = _login("zhangsan", PASSWORD)
    assert response.status_code == 302


def test_wrong_password_fails_and_counts_towards_lockout(ldap_on, settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 3
    statuses = [_login("office1", "wrong-password")[1].status_code for _ in range(3)]
    assert statuses == [200, 200, 429]  # the third failure locks the account
    assert AuditEvent.objects.filter(action="login.failure").count() == 3
    _client, response = _login("office1", PASSWORD)  # the right password is now refused
    assert response.status_code == 429
    assert AuditEvent.objects.filter(action="login.lockout").exists()


def test_three_admins_sign_in_only_locally(ldap_on, settings):
    _client, response = _login("sysadm", PASSWORD)
    assert response.status_code == 200
    assert AuditEvent.objects.filter(action="login.sso.refused").exists()
    _client, response = _login("sysadm", "Test-pass-123")  # the local password still works
    assert response.status_code == 302
    settings.KAOHE_SSO_ADMINS = True
    _client, response = _login("sysadm", PASSWORD)
    assert response.status_code == 302


def test_filter_injection_and_unknown_users_are_refused(ldap_on):
    for username in ("*", "office1)(uid=*", "nobody"):
        _client, response = _login(username, PASSWORD)
        assert response.status_code == 200
    assert not User.objects.filter(username__in=["*", "nobody"]).exists()
