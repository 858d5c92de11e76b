"""Attacks from the independent probe (issue 11) on accounts, each refused and audited.

三员 bypasses by the system admin, superusers and Django admin outside the demo, spoofed
X-Forwarded-For against lockout and audit, and guessing the old password on the password page.
"""

import importlib
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client, override_settings
from django.urls import clear_url_caches

from kaohe.accounts.choices import Role
from kaohe.accounts.models import RoleAssignment, User
from kaohe.audit.models import AuditEvent
from kaohe.common.testing import make_unit, make_user

pytestmark = pytest.mark.django_db
PW = "Test-pass-123"


@pytest.fixture
def sanyuan():
    city = make_unit("甲市")
    return city, {
        "sys": make_user("sys", role=Role.SYSTEM_ADMIN, unit=city, subtree=True),
        "sec": make_user("sec", role=Role.SECURITY_ADMIN, unit=city, subtree=True),
        "aud": make_user("aud", role=Role.AUDIT_ADMIN, unit=city, subtree=True),
    }


def as_user(user):
    client = Client()
    client.force_login(user)
    return client


def test_system_admin_cannot_make_itself_an_audit_admin(sanyuan):
    """The probe: create a user with a known password, give it the audit role, sign in."""
    city, people = sanyuan
    client = as_user(people["sys"])
    client.post(
        "/manage/users/new/",
        {
            "username": "puppet",
            "display_name": "傀儡",
            "unit": city.pk,
            "password": "Strong-pass-77",
        },
    )
    puppet = User.objects.get(username="puppet")
    response = client.post(
        f"/manage/users/{puppet.pk}/", {"role": Role.AUDIT_ADMIN, "unit": city.pk}
    )
    assert response.status_code == 403
    assert not RoleAssignment.objects.filter(user=puppet).exists()
    refused = AuditEvent.objects.get(action="access.admin_refused", actor=people["sys"])
    assert "role.assign" in refused.after and "安全管理员" in refused.message
    # One event for one refusal: the 403 is not logged again as a generic denial.
    assert not AuditEvent.objects.filter(action="access.denied", actor=people["sys"]).exists()


def test_system_admin_cannot_disable_or_strip_the_three_admins(sanyuan):
    city, people = sanyuan
    client = as_user(people["sys"])
    auditor = people["aud"]
    assert client.post(f"/manage/users/{auditor.pk}/active/", {"active": "0"}).status_code == 403
    assignment = auditor.role_assignments.get()
    assert client.post(f"/manage/roles/{assignment.pk}/revoke/").status_code == 403
    auditor.refresh_from_db()
    assert auditor.is_active and RoleAssignment.objects.filter(pk=assignment.pk).exists()
    for who in ("sec", "aud"):
        target = people[who]
        response = client.post(f"/manage/users/{target.pk}/password/", {"password": "Taken-99-x"})
        assert response.status_code == 403
    assert (
        AuditEvent.objects.filter(action="access.admin_refused", actor=people["sys"]).count() == 4
    )
    # The security admin can (and it is audited like any role change).
    as_user(people["sec"]).post(f"/manage/users/{auditor.pk}/active/", {"active": "0"})
    auditor.refresh_from_db()
    assert not auditor.is_active


@override_settings(KAOHE_SUPERUSERS_ALLOWED=False)
def test_superuser_refused_at_login_and_passes_no_check(sanyuan):
    city, people = sanyuan
    with override_settings(KAOHE_SUPERUSERS_ALLOWED=True):
        root = User.objects.create_superuser("root", password=PW)
    client = Client()
    response = client.post("/login/", {"username": "root", "password": PW})
    assert response.status_code == 200 and "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action="login.superuser_refused").exists()
    from kaohe.accounts import access

    assert not access.can_read_audit(root) and not access.can_assign_roles(root)
    client.force_login(root)  # an old session: no longer a valid user
    assert client.get("/audit/").status_code == 302


@override_settings(KAOHE_SUPERUSERS_ALLOWED=False)
def test_createsuperuser_is_refused_outside_the_demo():
    with pytest.raises(CommandError, match="不允许创建超级用户"):
        call_command(
            "createsuperuser", username="root2", email="", interactive=False, stdout=StringIO()
        )
    assert not User.objects.filter(username="root2").exists()


def test_django_admin_is_not_mounted_outside_the_demo(settings):
    import kaohe.urls

    try:
        settings.KAOHE_SUPERUSERS_ALLOWED = False
        importlib.reload(kaohe.urls)
        clear_url_caches()
        assert Client().get("/django-admin/").status_code == 404
    finally:
        settings.KAOHE_SUPERUSERS_ALLOWED = True
        importlib.reload(kaohe.urls)
        clear_url_caches()


def test_writes_outside_the_services_are_audited(sanyuan):
    """Django admin (demo), `changepassword`, a shell: users and roles still leave events."""
    city, people = sanyuan
    clerk = make_user("clerk", unit=city)
    clerk.set_password("Other-pass-456")
    clerk.is_active = False
    clerk.save()
    change = AuditEvent.objects.filter(action="user.change", object_id=str(clerk.pk)).get()
    assert "is_active" in change.after and "已修改" in change.after
    RoleAssignment.objects.create(user=clerk, role=Role.AUDIT_ADMIN, unit=city)
    assert AuditEvent.objects.filter(action="role.assign", message__contains="未经").exists()
    RoleAssignment.objects.filter(user=clerk).delete()
    assert AuditEvent.objects.filter(action="role.revoke", message__contains="未经").exists()
    before = AuditEvent.objects.count()
    clerk.last_login = clerk.date_joined
    clerk.save(update_fields=["last_login"])  # every sign-in: not an event
    assert AuditEvent.objects.count() == before


@override_settings(AXES_ENABLED=True, KAOHE_TRUSTED_PROXIES=1)
def test_spoofed_forwarded_for_neither_escapes_lockout_nor_fools_the_audit():
    """nginx appends the real peer; whatever the client wrote on the left is ignored."""
    for i in range(6):
        make_user(f"v{i}")
    client = Client()
    real = "203.0.113.9"
    for i in range(5):
        client.post(
            "/login/",
            {"username": f"v{i}", "password": "wrong"},
            REMOTE_ADDR="127.0.0.1",
            HTTP_X_FORWARDED_FOR=f"10.66.{i}.1, {real}",
        )
    response = client.post(
        "/login/",
        {"username": "v5", "password": PW},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR=f"10.99.99.99, {real}",
    )
    assert response.status_code == 429  # the real address is locked
    addresses = set(
        AuditEvent.objects.filter(action="login.failure").values_list("ip_address", flat=True)
    )
    assert addresses == {real}


def test_client_ip_by_trusted_proxy_count(settings):
    from django.test import RequestFactory

    from kaohe.audit.context import client_ip

    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.7, 10.0.0.1"
    )
    settings.KAOHE_TRUSTED_PROXIES = 0
    assert client_ip(request) == "10.0.0.2"  # no proxy trusted: the header is ignored
    settings.KAOHE_TRUSTED_PROXIES = 1
    assert client_ip(request) == "10.0.0.1"
    settings.KAOHE_TRUSTED_PROXIES = 2  # load balancer + nginx
    assert client_ip(request) == "198.51.100.7"
    settings.KAOHE_TRUSTED_PROXIES = 5  # fewer hops than proxies: only the peer is known
    assert client_ip(request) == "10.0.0.2"
    request.META["HTTP_X_FORWARDED_FOR"] = "not-an-ip"
    settings.KAOHE_TRUSTED_PROXIES = 1
    assert client_ip(request) == "10.0.0.2"


@override_settings(AXES_ENABLED=True)
def test_guessing_the_old_password_locks_the_account():
    user = make_user("guess")
    client = Client()
    client.post("/login/", {"username": "guess", "password": PW}, REMOTE_ADDR="10.1.1.1")
    for i in range(4):
        response = client.post(
            "/account/password/",
            {
                "old_password": f"guess-{i}",
                "new_password1": "New-pass-789x",
                "new_password2": "New-pass-789x",
            },
            REMOTE_ADDR="10.1.1.1",
        )
        assert response.status_code == 200 and "原密码不正确" in response.text
    response = client.post(
        "/account/password/",
        {
            "old_password": "guess-5",
            "new_password1": "New-pass-789x",
            "new_password2": "New-pass-789x",
        },
        REMOTE_ADDR="10.1.1.1",
    )
    assert response.status_code == 429 and "锁定" in response.text  # the lockout page
    assert client.get("/account/password/").status_code == 302  # and signed out
    assert AuditEvent.objects.filter(action="login.failure", object_id=str(user.pk)).count() == 5
    assert AuditEvent.objects.filter(action="login.lockout").exists()
    # Even the right password no longer gets in until the lockout ends.
    again = Client().post("/login/", {"username": "guess", "password": PW}, REMOTE_ADDR="10.2.2.2")
    assert again.status_code == 429
    user.refresh_from_db()
    assert user.check_password(PW)
