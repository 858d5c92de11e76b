"""Sign-in: audit of success/failure, lockout, forced change, timeouts, sessions, 2FA."""

import time
from datetime import timedelta

import pytest
import time_machine
from django.test import Client, override_settings
from django.utils import timezone

from kaohe.accounts.choices import Role
from kaohe.accounts.models import User, UserSession
from kaohe.accounts.services import role_assign, user_create
from kaohe.audit.models import AuditEvent
from kaohe.common.testing import make_unit, make_user

pytestmark = pytest.mark.django_db
PW = "Test-pass-123"


def login(client, username, password=PW, ip="10.0.0.1"):
    return client.post("/login/", {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_login_success_and_failure_are_audited():
    make_user("alice")
    client = Client()
    assert login(client, "alice", "wrong").status_code == 200
    failure = AuditEvent.objects.get(action="login.failure")
    assert failure.ip_address == "10.0.0.1" and "alice" in failure.after
    assert login(client, "alice").status_code == 302
    success = AuditEvent.objects.get(action="login.success")
    assert success.actor_username == "alice" and success.ip_address == "10.0.0.1"
    assert UserSession.objects.filter(user__username="alice").count() == 1


@override_settings(AXES_ENABLED=True)
def test_five_failures_lock_the_account_and_log_it():
    make_user("bob")
    client = Client()
    for i in range(5):
        login(client, "bob", "wrong", ip=f"10.0.1.{i}")  # different addresses: per account
    response = login(client, "bob", ip="10.0.2.1")
    assert response.status_code == 429
    assert "锁定" in response.content.decode()
    assert AuditEvent.objects.filter(action="login.lockout").exists()
    assert not AuditEvent.objects.filter(action="login.success").exists()


@override_settings(AXES_ENABLED=True)
def test_five_failures_from_one_address_lock_the_address():
    for name in ("u1", "u2", "u3", "u4", "u5", "carol"):
        make_user(name)
    client = Client()
    for name in ("u1", "u2", "u3", "u4", "u5"):
        login(client, name, "wrong", ip="10.9.9.9")
    assert login(client, "carol", ip="10.9.9.9").status_code == 429
    assert login(client, "carol", ip="10.9.9.8").status_code == 302


@override_settings(AXES_ENABLED=True)
def test_security_admin_unlocks():
    make_user("dave")
    unit = make_unit("安全办")
    make_user("sec", role=Role.SECURITY_ADMIN, unit=unit)
    client = Client()
    for _ in range(5):
        login(client, "dave", "wrong")
    assert login(client, "dave").status_code == 429
    admin = Client()
    admin.force_login(User.objects.get(username="sec"))
    page = admin.get("/security/")
    assert page.status_code == 200 and "dave" in page.content.decode()
    admin.post("/security/unlock/", {"username": "dave", "ip_address": "10.0.0.1"})
    assert AuditEvent.objects.filter(action="login.unlock").exists()
    assert login(Client(), "dave").status_code == 302


def test_must_change_password_blocks_other_pages_until_changed():
    user = user_create(username="first", password="Aa1!initial", must_change_password=True)
    client = Client()
    login(client, "first", "Aa1!initial")
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/account/password/")
    bad = client.post(
        "/account/password/",
        {"old_password": "Aa1!initial", "new_password1": "short", "new_password2": "short"},
    )
    assert bad.status_code == 200 and "密码" in bad.content.decode()
    ok = client.post(
        "/account/password/",
        {
            "old_password": "Aa1!initial",
            "new_password1": "Brand-new-9x",
            "new_password2": "Brand-new-9x",
        },
    )
    assert ok.status_code == 302
    user.refresh_from_db()
    assert not user.must_change_password
    assert client.get("/").status_code == 200  # still signed in after the change
    assert AuditEvent.objects.filter(action="user.password_change", actor=user).exists()


def test_demo_password_kept_in_development_and_demo():
    user_create(username="office", password="Kaohe@2020")
    client = Client()
    login(client, "office", "Kaohe@2020")
    assert client.get("/").status_code == 200


@override_settings(KAOHE_REFUSE_DEMO_PASSWORD=True)
def test_demo_password_outside_demo_forces_change():
    user_create(username="office", password="Kaohe@2020")
    client = Client()
    login(client, "office", "Kaohe@2020")
    assert client.get("/")["Location"].startswith("/account/password/")


@override_settings(KAOHE_PASSWORD_MAX_AGE_DAYS=90)
def test_expired_password_forces_change():
    make_user("exp")
    client = Client()
    login(client, "exp")
    assert client.get("/").status_code == 200
    User.objects.filter(username="exp").update(
        password_changed_at=timezone.now() - timedelta(days=91)
    )
    assert client.get("/")["Location"].startswith("/account/password/")


@override_settings(KAOHE_SESSION_IDLE_MINUTES=30)
def test_idle_timeout_logs_out():
    make_user("idle")
    client = Client()
    login(client, "idle")
    assert client.get("/").status_code == 200
    with time_machine.travel(time.time() + 31 * 60, tick=False):
        response = client.get("/")
        assert response.status_code == 302 and "/login/" in response["Location"]
    assert AuditEvent.objects.filter(action="session.timeout.idle").exists()
    assert client.get("/").status_code == 302  # really logged out


@override_settings(KAOHE_SESSION_IDLE_MINUTES=30)
def test_activity_keeps_session_alive():
    make_user("busy")
    client = Client()
    login(client, "busy")
    start = time.time()
    for minutes in (20, 40, 60):
        with time_machine.travel(start + minutes * 60, tick=False):
            assert client.get("/").status_code == 200


@override_settings(KAOHE_SESSION_IDLE_MINUTES=0, KAOHE_SESSION_ABSOLUTE_MINUTES=60)
def test_absolute_timeout():
    make_user("abs")
    client = Client()
    login(client, "abs")
    with time_machine.travel(time.time() + 61 * 60, tick=False):
        assert "/login/" in client.get("/")["Location"]
    assert AuditEvent.objects.filter(action="session.timeout.absolute").exists()


def test_my_sessions_lists_and_ends_other_sessions():
    make_user("multi")
    laptop, phone = Client(), Client()
    login(laptop, "multi", ip="10.1.1.1")
    login(phone, "multi", ip="10.2.2.2")
    page = laptop.get("/account/sessions/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "10.1.1.1" in body and "10.2.2.2" in body
    other = UserSession.objects.get(ip_address="10.2.2.2")
    laptop.post(f"/account/sessions/{other.pk}/end/")
    assert phone.get("/").status_code == 302  # the phone was signed out
    assert laptop.get("/").status_code == 200
    assert AuditEvent.objects.filter(action="session.end").exists()


def test_cannot_end_someone_elses_session():
    make_user("one")
    make_user("two")
    a, b = Client(), Client()
    login(a, "one")
    login(b, "two")
    theirs = UserSession.objects.get(user__username="two")
    assert a.post(f"/account/sessions/{theirs.pk}/end/").status_code == 404
    assert b.get("/").status_code == 200


@override_settings(KAOHE_OTP_REQUIRED=True)
def test_admin_roles_must_set_up_and_use_totp():
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    unit = make_unit("市")
    make_user("sysadm", role=Role.SYSTEM_ADMIN, unit=unit, subtree=True)
    make_user("plain", role=Role.UNIT_USER, unit=unit)
    plain = Client()
    login(plain, "plain")
    assert plain.get("/").status_code == 200  # not an admin role: no second factor
    client = Client()
    login(client, "sysadm")
    response = client.get("/manage/users/")
    assert response.status_code == 302 and response["Location"].startswith("/account/otp/")
    setup = client.get("/account/otp/")
    assert "data:image/svg+xml;base64," in setup.content.decode()
    assert not TOTPDevice.objects.exists()  # no state change on GET: the key waits in the session
    key = client.session["kaohe_otp_pending_key"]
    assert client.post("/account/otp/", {"token": "000000"}).status_code == 200
    assert not TOTPDevice.objects.exists()
    token = f"{totp(bytes.fromhex(key), step=30, t0=0, digits=6):06d}"
    assert client.post("/account/otp/", {"token": token}).status_code == 302
    assert client.get("/manage/users/").status_code == 200
    device = TOTPDevice.objects.get(user__username="sysadm")
    assert device.confirmed and device.key == key
    # A new login must verify again.
    again = Client()
    login(again, "sysadm")
    assert again.get("/manage/users/")["Location"].startswith("/account/otp/")


def test_role_assign_keeps_three_admin_roles_apart():
    from django.core.exceptions import ValidationError

    unit = make_unit("市")
    user = make_user("x", role=Role.SYSTEM_ADMIN, unit=unit)
    with pytest.raises(ValidationError, match="三员"):
        role_assign(user=user, role=Role.AUDIT_ADMIN, unit=unit)
    security = make_user("sec", role=Role.SECURITY_ADMIN, unit=unit)
    with pytest.raises(ValidationError, match="自己"):
        role_assign(user=security, role=Role.OFFICE_ADMIN, unit=unit, actor=security)


def test_security_admin_resets_a_lost_second_factor():
    from django_otp.plugins.otp_totp.models import TOTPDevice

    city = make_unit("市")
    other = make_unit("外市")
    user = make_user("lost", role=Role.UNIT_USER, unit=city)
    stranger = make_user("far", role=Role.UNIT_USER, unit=other)
    TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    TOTPDevice.objects.create(user=stranger, name="phone", confirmed=True)
    sec = Client()
    sec.force_login(make_user("sec2", role=Role.SECURITY_ADMIN, unit=city, subtree=True))
    sec.post("/security/otp-reset/", {"username": "lost"})
    sec.post("/security/otp-reset/", {"username": "far"})  # not in their units
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert TOTPDevice.objects.filter(user=stranger).exists()
    assert AuditEvent.objects.filter(action="otp.reset", object_id=str(user.pk)).exists()
    sysadm = Client()
    sysadm.force_login(make_user("sys2", role=Role.SYSTEM_ADMIN, unit=city, subtree=True))
    assert sysadm.post("/security/otp-reset/", {"username": "lost"}).status_code == 403
