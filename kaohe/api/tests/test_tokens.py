"""Personal tokens: the command, the page, hashing, expiry, revocation, scope, rate limit."""

from datetime import timedelta
from io import StringIO

from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from kaohe.api.models import ApiToken
from kaohe.audit.models import AuditEvent


def _bearer(secret: str) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}", raise_request_exception=False)


def test_create_token_prints_the_secret_alone_on_the_last_line(demo_users):
    out = StringIO()
    call_command("create_token", "office", "--scope", "write", "--expires", "30", stdout=out)
    secret = out.getvalue().strip().splitlines()[-1]
    assert secret.startswith("kh_") and " " not in secret
    token = ApiToken.objects.get(user=demo_users["office"])
    assert token.scope == "write" and secret not in (token.digest, token.prefix)
    assert (token.expires_at - timezone.now()).days in (29, 30)
    assert not ApiToken.objects.filter(digest__contains=secret[3:20]).exists()
    assert _bearer(secret).get("/api/v1/schemes").status_code == 200
    assert AuditEvent.objects.filter(action="api.token.create").exists()


def test_expired_revoked_and_inactive_tokens_are_refused(demo_users):
    out = StringIO()
    call_command("create_token", "office", stdout=out)
    secret = out.getvalue().strip().splitlines()[-1]
    client = _bearer(secret)
    assert client.get("/api/v1/schemes").status_code == 200
    token = ApiToken.objects.get()
    token.expires_at = timezone.now() - timedelta(seconds=1)
    token.save()
    response = client.get("/api/v1/schemes")
    assert response.status_code == 401 and response.json()["code"] == "unauthenticated"
    token.expires_at = timezone.now() + timedelta(days=1)
    token.save()
    demo_users["office"].is_active = False
    demo_users["office"].save()
    assert client.get("/api/v1/schemes").status_code == 401
    assert _bearer("kh_not-a-token").get("/api/v1/schemes").status_code == 401


def test_page_creates_shows_once_lists_and_revokes(client, demo_users):
    client.force_login(demo_users["qingfeng"])
    response = client.post("/account/tokens/", {"name": "政务平台", "scope": "read", "days": 7})
    assert response.status_code == 200
    secret = response.context["secret"]
    assert secret in response.content.decode()
    assert response["Cache-Control"] == "no-store"
    listing = client.get("/account/tokens/").content.decode()
    assert "政务平台" in listing and secret not in listing
    token = ApiToken.objects.get(name="政务平台")
    assert _bearer(secret).get("/api/v1/schemes").status_code == 200
    # Another user cannot revoke it (404); the owner can.
    other = Client()
    other.force_login(demo_users["sifaju"])
    assert other.post(f"/account/tokens/{token.pk}/revoke/").status_code == 404
    assert client.post(f"/account/tokens/{token.pk}/revoke/").status_code == 302
    assert _bearer(secret).get("/api/v1/schemes").status_code == 401
    assert AuditEvent.objects.filter(
        action="api.token.revoke", actor=demo_users["qingfeng"]
    ).exists()


def test_read_token_cannot_write(bearer, demo):
    subject = demo.subjects.first()
    leaf = subject.scores.select_related("indicator").first().indicator
    response = bearer("office", "read").put(
        f"/api/v1/subjects/{subject.pk}/scores/{leaf.pk}",
        {"value": "1"},
        content_type="application/json",
    )
    assert response.status_code == 403 and response.json()["code"] == "token_read_only"


def test_rate_limit_per_token(bearer, settings):
    settings.KAOHE_API_RATE = "3/m"
    first, second = bearer("office"), bearer("office", name="第二个")
    statuses = [first.get("/api/v1/schemes").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    limited = first.get("/api/v1/schemes")
    assert limited.json()["code"] == "rate_limited" and int(limited["Retry-After"]) > 0
    assert second.get("/api/v1/schemes").status_code == 200  # counted per token


def test_docs_page_and_schema_load_nothing_from_outside(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert (
        schema["openapi"].startswith("3.")
        and "/api/v1/schemes/{scheme_id}/scores/bulk" in (schema["paths"])
    )
    page = client.get("/api/v1/docs").content.decode()
    assert "swagger-ui-bundle.js" in page and "/static/ninja/" in page
    assert "http://" not in page and "https://" not in page and "cdn" not in page.lower()


def test_audit_events_for_the_audit_admin_only(bearer, demo_users, db):
    from kaohe.accounts.choices import Role
    from kaohe.common.testing import make_user

    make_user("audadm", role=Role.AUDIT_ADMIN, unit=demo_users["office"].unit, subtree=True)
    from django.contrib.auth import get_user_model

    demo_users["audadm"] = get_user_model().objects.get(username="audadm")
    assert bearer("office").get("/api/v1/audit/events").status_code == 403
    listing = bearer("audadm", "read").get("/api/v1/audit/events?action=api.token&limit=5")
    assert listing.status_code == 200
    body = listing.json()
    assert body["count"] >= 2 and all(e["action"].startswith("api.token") for e in body["items"])
    assert AuditEvent.objects.filter(action="audit.export", actor_username="audadm").exists()


def test_the_api_answers_in_chinese_whatever_the_request_language(bearer, demo):
    from django.http import HttpResponse
    from django.utils import translation

    from kaohe.api.api import _in_chinese

    with translation.override("en"):
        seen = _in_chinese(lambda request: HttpResponse(translation.get_language()))(None)
    assert seen.content == b"zh-hans"
    client = bearer("office")
    response = client.get("/api/v1/schemes/999999", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 404 and response.json()["message"] == "考核方案不存在"
    assert client.get("/api/v1/schemes", HTTP_ACCEPT_LANGUAGE="en").status_code == 200
