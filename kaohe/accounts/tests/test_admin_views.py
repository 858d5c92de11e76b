"""User and role management by the system admin, and 三员 separation on every page."""

import pytest
from django.test import Client

from kaohe.accounts.choices import Role
from kaohe.accounts.models import RoleAssignment, User
from kaohe.audit.models import AuditEvent
from kaohe.common.testing import make_unit, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree():
    city = make_unit("甲市")
    county = make_unit("乙县", parent=city)
    other = make_unit("丙市")
    people = {
        "sys": make_user("sys", role=Role.SYSTEM_ADMIN, unit=city, subtree=True),
        "sec": make_user("sec", role=Role.SECURITY_ADMIN, unit=city, subtree=True),
        "aud": make_user("aud", role=Role.AUDIT_ADMIN, unit=city, subtree=True),
        "clerk": make_user("clerk", role=Role.UNIT_USER, unit=county),
        "stranger": make_user("stranger", role=Role.UNIT_USER, unit=other),
        "othersys": make_user("othersys", role=Role.SYSTEM_ADMIN, unit=other, subtree=True),
    }
    return city, county, other, people


def as_user(user):
    client = Client()
    client.force_login(user)
    return client


def test_system_admin_creates_user_security_admin_assigns_and_revokes_role(tree):
    city, county, other, people = tree
    client = as_user(people["sys"])
    assert client.get("/manage/users/").status_code == 200
    response = client.post(
        "/manage/users/new/",
        {
            "username": "newbie",
            "display_name": "新人",
            "unit": county.pk,
            "password": "Strong-pass-77",
        },
    )
    assert response.status_code == 302, response.content.decode()[:500]
    newbie = User.objects.get(username="newbie")
    assert newbie.must_change_password and newbie.unit == county
    role = {"role": Role.UNIT_USER, "unit": county.pk, "include_subtree": "on"}
    # 三员: the system admin cannot assign roles; the attempt is refused and audited.
    assert client.post(f"/manage/users/{newbie.pk}/", role).status_code == 403
    assert not RoleAssignment.objects.filter(user=newbie).exists()
    security = as_user(people["sec"])
    assert security.post(f"/manage/users/{newbie.pk}/", role).status_code == 302
    assignment = RoleAssignment.objects.get(user=newbie)
    assert assignment.include_subtree
    assert client.post(f"/manage/roles/{assignment.pk}/revoke/").status_code == 403
    security.post(f"/manage/roles/{assignment.pk}/revoke/")
    assert not RoleAssignment.objects.filter(user=newbie).exists()
    actions = set(AuditEvent.objects.filter(actor=people["sys"]).values_list("action", flat=True))
    assert {"user.create", "access.admin_refused"} <= actions and "role.assign" not in actions
    actions = set(AuditEvent.objects.filter(actor=people["sec"]).values_list("action", flat=True))
    assert {"role.assign", "role.revoke"} <= actions


def test_weak_initial_password_is_refused(tree):
    city, county, other, people = tree
    response = as_user(people["sys"]).post(
        "/manage/users/new/",
        {"username": "weak", "display_name": "弱", "unit": county.pk, "password": "abc"},
    )
    assert response.status_code == 200 and not User.objects.filter(username="weak").exists()


def test_system_admin_cannot_place_users_outside_their_units(tree):
    city, county, other, people = tree
    response = as_user(people["sys"]).post(
        "/manage/users/new/",
        {"username": "out", "display_name": "外", "unit": other.pk, "password": "Strong-pass-77"},
    )
    assert response.status_code == 200 and not User.objects.filter(username="out").exists()


def test_system_admin_of_another_city_gets_404(tree):
    city, county, other, people = tree
    client = as_user(people["othersys"])
    assert client.get(f"/manage/users/{people['clerk'].pk}/").status_code == 404
    assert AuditEvent.objects.filter(action="access.denied", actor=people["othersys"]).exists()
    assignment = people["clerk"].role_assignments.get()
    assert client.post(f"/manage/roles/{assignment.pk}/revoke/").status_code == 404
    assert RoleAssignment.objects.filter(pk=assignment.pk).exists()


def test_system_admin_cannot_manage_themself(tree):
    city, county, other, people = tree
    client = as_user(people["sys"])
    assert client.get(f"/manage/users/{people['sys'].pk}/").status_code == 404


def test_three_admins_each_see_only_their_pages(tree):
    city, county, other, people = tree
    pages = {"sys": {"/manage/users/"}, "sec": {"/security/", "/manage/users/"}, "aud": {"/audit/"}}
    every = {"/manage/users/", "/security/", "/audit/"}
    for who, own in pages.items():
        client = as_user(people[who])
        for page in own:
            assert client.get(page).status_code == 200, (who, page)
        for other_page in every - own:
            assert client.get(other_page).status_code == 403, (who, other_page)
    assert as_user(people["clerk"]).get("/audit/").status_code == 403
    denials = AuditEvent.objects.filter(action="access.denied").count()
    assert denials >= 5


def test_disable_and_reset_password(tree):
    city, county, other, people = tree
    client = as_user(people["sys"])
    clerk = people["clerk"]
    clerk_client = as_user(clerk)
    client.post(f"/manage/users/{clerk.pk}/active/", {"active": "0"})
    clerk.refresh_from_db()
    assert not clerk.is_active
    client.post(f"/manage/users/{clerk.pk}/active/", {"active": "1"})
    client.post(f"/manage/users/{clerk.pk}/password/", {"password": "Temp-pass-321"})
    clerk.refresh_from_db()
    assert clerk.is_active and clerk.must_change_password and clerk.check_password("Temp-pass-321")
    assert clerk_client.get("/").status_code == 302  # their sessions were ended
    assert AuditEvent.objects.filter(action="user.password_reset").exists()


def test_nav_shows_only_own_admin_pages(tree):
    city, county, other, people = tree
    body = as_user(people["aud"]).get("/").content.decode()
    assert "/audit/" in body and "/manage/users/" not in body and "/security/" not in body


def test_system_admin_cannot_take_over_the_audit_admin(tree):
    city, county, other, people = tree
    client = as_user(people["sys"])
    auditor = people["aud"]
    response = client.post(f"/manage/users/{auditor.pk}/password/", {"password": "Taken-over-99"})
    assert response.status_code == 403
    auditor.refresh_from_db()
    assert not auditor.check_password("Taken-over-99")
