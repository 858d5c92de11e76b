"""Score writes through the API: the same service, version check, range check, lock rules,
audit with the token's name; bulk is all-or-nothing and reports every bad row."""

from decimal import Decimal

from kaohe.audit.models import AuditEvent
from kaohe.schemes.models import Scheme, ScoreEntry


def _entered_leaf(demo):
    return demo.indicators.filter(
        children__isnull=True, method="entered", applies_to__isnull=True
    ).order_by("pk")[1]


def _url(subject, leaf):
    return f"/api/v1/subjects/{subject.pk}/scores/{leaf.pk}"


def test_put_checks_version_range_and_audits_the_token(bearer, demo):
    client = bearer("office", name="执法监督平台")
    subject, leaf = demo.subjects.order_by("pk").first(), _entered_leaf(demo)
    current = client.get(_url(subject, leaf))
    version = current.json()["version"]
    assert current["ETag"] == f'"{version}"'
    ok = client.put(
        _url(subject, leaf),
        {"value": "5.5", "note": "接口"},
        content_type="application/json",
        HTTP_IF_MATCH=current["ETag"],
    )
    assert ok.status_code == 200, ok.content
    assert ok.json()["value"] == "5.50" and ok.json()["version"] == version + 1
    assert ScoreEntry.objects.get(subject=subject, indicator=leaf).source == "api"
    event = AuditEvent.objects.filter(action="score.set").latest("pk")
    assert event.actor_username == "office" and "执法监督平台" in event.message
    stale = client.put(
        _url(subject, leaf), {"value": "6", "version": version}, content_type="application/json"
    )
    assert stale.status_code == 409 and stale.json()["code"] == "version_conflict"
    too_big = client.put(
        _url(subject, leaf), {"value": str(leaf.max_score + 1)}, content_type="application/json"
    )
    assert too_big.status_code == 400 and "超出范围" in too_big.json()["message"]
    huge = client.put(_url(subject, leaf), {"value": "1E+100000"}, content_type="application/json")
    assert huge.status_code == 400
    assert ScoreEntry.objects.get(subject=subject, indicator=leaf).value == Decimal("5.50")
    cleared = client.put(_url(subject, leaf), {"value": None}, content_type="application/json")
    assert cleared.status_code == 204
    assert not ScoreEntry.objects.filter(subject=subject, indicator=leaf).exists()


def test_locked_scheme_refuses_writes(bearer, demo):
    Scheme.objects.filter(pk=demo.pk).update(status="final")
    subject, leaf = demo.subjects.order_by("pk").first(), _entered_leaf(demo)
    response = bearer("office").put(
        _url(subject, leaf), {"value": "1"}, content_type="application/json"
    )
    assert response.status_code == 400 and "已定稿" in response.json()["message"]
    bulk = bearer("office").post(
        f"/api/v1/schemes/{demo.pk}/scores/bulk",
        {"rows": [{"subject_id": subject.pk, "indicator_id": leaf.pk, "value": "1"}]},
        content_type="application/json",
    )
    assert bulk.status_code == 400


def _snapshot():
    return (
        list(ScoreEntry.objects.order_by("pk").values_list("pk", "value", "version")),
        AuditEvent.objects.count(),
    )


def test_bulk_is_all_or_nothing_and_names_every_bad_row(bearer, demo):
    subjects = list(demo.subjects.order_by("pk")[:3])
    leaf = _entered_leaf(demo)
    rows = [
        {"subject_id": subjects[0].pk, "indicator_id": leaf.pk, "value": "1.5"},
        {"subject_id": subjects[1].pk, "indicator_code": leaf.code, "value": "999"},
        {"subject_id": subjects[2].pk, "indicator_code": "NO-SUCH", "value": "1"},
        {"subject_id": 987654321, "indicator_id": leaf.pk, "value": "1"},
        {"subject_id": subjects[0].pk, "indicator_id": leaf.pk, "value": "2"},
    ]
    client = bearer("office")
    before = _snapshot()
    response = client.post(
        f"/api/v1/schemes/{demo.pk}/scores/bulk", {"rows": rows}, content_type="application/json"
    )
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid_rows"
    assert sorted({e["row"] for e in body["errors"]}) == [2, 3, 4]
    assert _snapshot() == before
    # Rows that only the service refuses (range) are reported too, still writing nothing.
    response = client.post(
        f"/api/v1/schemes/{demo.pk}/scores/bulk",
        {"rows": rows[:2]},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert [e["row"] for e in response.json()["errors"]] == [1]
    assert "超出范围" in response.json()["errors"][0]["message"]
    assert _snapshot() == before


def test_bulk_saves_through_the_service_with_one_event_per_subject(bearer, demo):
    subjects = list(demo.subjects.order_by("pk")[:2])
    leaves = list(
        demo.indicators.filter(children__isnull=True, method="entered", applies_to__isnull=True)
    )[:2]
    rows = [
        {"subject_id": s.pk, "indicator_id": leaf.pk, "value": "1.25"}
        for s in subjects
        for leaf in leaves
    ]
    Scheme.objects.filter(pk=demo.pk).update(results_stale=False)
    response = bearer("office", name="政务服务平台").post(
        f"/api/v1/schemes/{demo.pk}/scores/bulk", {"rows": rows}, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    assert response.json() == {"saved": 4, "subjects": 2}
    assert ScoreEntry.objects.filter(subject__in=subjects, value=Decimal("1.25")).count() == 4
    assert Scheme.objects.get(pk=demo.pk).results_stale
    batch = AuditEvent.objects.filter(action="score.batch").order_by("-pk")[:2]
    assert all("政务服务平台" in e.message for e in batch)
    assert AuditEvent.objects.filter(action="api.scores.bulk").count() == 1


def test_validation_errors_name_field_and_row(bearer, demo):
    response = bearer("office").post(
        f"/api/v1/schemes/{demo.pk}/scores/bulk",
        {"rows": [{"subject_id": 1, "indicator_id": 1, "value": "1"}, {"subject_id": "x"}]},
        content_type="application/json",
    )
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert {"row": 1, "field": "rows[1].subject_id"}.items() <= errors[0].items()
    assert any(e["field"] == "rows[1].value" for e in errors)


def test_team_member_scores_only_their_subjects(bearer, demo):
    # team1 has no visit in the demo: every subject is "not yours" (404 as the pages).
    subject, leaf = demo.subjects.order_by("pk").first(), _entered_leaf(demo)
    response = bearer("team1").put(
        _url(subject, leaf), {"value": "1"}, content_type="application/json"
    )
    assert response.status_code == 404


def test_lists_paginate_and_filter(bearer, demo):
    client = bearer("office")
    leaf = _entered_leaf(demo)
    page = client.get(f"/api/v1/schemes/{demo.pk}/scores?limit=5&offset=5&indicator_id={leaf.pk}")
    body = page.json()
    assert body["limit"] == 5 and body["offset"] == 5 and len(body["items"]) == 5
    assert body["count"] == ScoreEntry.objects.filter(indicator=leaf).count()
    assert {i["indicator_id"] for i in body["items"]} == {leaf.pk}
    assert client.get(f"/api/v1/schemes/{demo.pk}/scores?limit=501").status_code == 422
    # A unit user reads scores only once results are published.
    assert bearer("qingfeng").get(f"/api/v1/schemes/{demo.pk}/scores").json()["count"] == 0


def test_nul_characters_are_refused_as_invalid_input(bearer, demo):
    """PostgreSQL cannot store NUL: every text input refuses it with a 422 naming the field."""
    client = bearer("office")
    for url in ("/api/v1/units?q=%00", "/api/v1/tasks?status=%00", "/api/v1/audit/events?q=%00"):
        assert client.get(url).status_code == 422, url
    response = client.post(
        f"/api/v1/schemes/{demo.pk}/scores/bulk",
        {"rows": [{"subject_id": 1, "indicator_code": "D1", "value": "1", "note": "a\x00b"}]},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "rows[0].note"


def test_team_types_only_on_site_leaves_of_its_subjects(bearer, demo, demo_users):
    from kaohe.onsite.services.teams import team_create, visit_assign

    subject = demo.subjects.get(unit__name="清丰县")
    team = team_create(scheme=demo, name="接口考核组", leader=demo_users["team1"])
    visit_assign(team=team, subjects=[subject])
    leaves = demo.indicators.filter(children__isnull=True, method="entered").order_by("pk")
    daily = leaves.filter(component__code="daily").first()
    onsite = leaves.filter(component__code="onsite").applying_to(subject).first()
    client = bearer("team1")
    refused = client.put(_url(subject, daily), {"value": "1"}, content_type="application/json")
    assert refused.status_code == 403 and refused.json()["code"] == "not_enterable"
    ok = client.put(_url(subject, onsite), {"value": "1"}, content_type="application/json")
    assert ok.status_code == 200, ok.content
    bulk = client.post(
        f"/api/v1/schemes/{demo.pk}/scores/bulk",
        {"rows": [{"subject_id": subject.pk, "indicator_id": daily.pk, "value": "1"}]},
        content_type="application/json",
    )
    assert bulk.status_code == 400 and bulk.json()["errors"][0]["code"] == "not_enterable"


def test_bulk_errors_go_to_their_rows_by_indicator_not_by_message(bearer, demo):
    """The service names each refused leaf (ScoreError.indicator_id); the API gives the error
    to that row even when one leaf's code begins another's message."""
    subjects = list(demo.subjects.order_by("pk")[:2])
    leaves = list(
        demo.indicators.filter(children__isnull=True, method="entered", applies_to__isnull=True)
    )[:3]
    # Codes that defeat matching by message prefix: "K K" is how leaf K's message begins.
    for leaf, code in zip(leaves, ("K", "K K", "K K K"), strict=True):
        type(leaf).objects.filter(pk=leaf.pk).update(code=code)
    entry = ScoreEntry.objects.filter(subject=subjects[1], indicator=leaves[2]).first()
    version = entry.version if entry else 0
    rows = [
        {"subject_id": subjects[0].pk, "indicator_id": leaves[0].pk, "value": "1"},
        {"subject_id": subjects[0].pk, "indicator_id": leaves[1].pk, "value": "99999"},
        {"subject_id": subjects[0].pk, "indicator_id": leaves[2].pk, "value": "1"},
        {"subject_id": subjects[1].pk, "indicator_id": leaves[2].pk, "value": "1",
         "version": version + 7},
    ]  # fmt: skip
    before = list(ScoreEntry.objects.order_by("pk").values_list("pk", "value", "version"))
    response = bearer("office").post(
        f"/api/v1/schemes/{demo.pk}/scores/bulk", {"rows": rows}, content_type="application/json"
    )
    assert response.status_code == 400, response.content
    errors = response.json()["errors"]
    assert [(e["row"], e["field"], e["code"]) for e in errors] == [
        (1, "value", "invalid"),
        (3, "version", "version_conflict"),
    ]
    assert errors[0]["message"].startswith("K K ")
    assert list(ScoreEntry.objects.order_by("pk").values_list("pk", "value", "version")) == before


def test_score_errors_carry_the_indicator(demo):
    import pytest
    from django.core.exceptions import ValidationError

    from kaohe.scoring.services import ScoreChange, score_errors, scores_save

    subject = demo.subjects.order_by("pk").first()
    leaves = list(
        demo.indicators.filter(children__isnull=True, method="entered", applies_to__isnull=True)
    )[:2]
    group = demo.indicators.filter(children__isnull=False).first()
    changes = [
        ScoreChange(leaves[0], Decimal("1")),
        ScoreChange(leaves[1], Decimal("-5")),
        ScoreChange(group, Decimal("1")),
    ]
    with pytest.raises(ValidationError) as caught:
        scores_save(subject=subject, changes=changes)
    problems = score_errors(caught.value)
    assert [(p.indicator_id, p.field, p.code) for p in problems] == [
        (leaves[1].pk, "value", "invalid"),
        (group.pk, "indicator", "not_leaf"),
    ]
    assert all(p.message in caught.value.messages for p in problems)
