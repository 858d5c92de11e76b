"""Anonymous by design: nothing stored or logged can lead from an answer to a respondent."""

import logging

import pytest
from django.apps import apps
from django.db import models
from django.test import Client

from kaohe.audit.models import AuditEvent
from kaohe.surveys.factories import make_setup
from kaohe.surveys.models import Answer, Invitation, Response, SubmissionMark
from kaohe.surveys.services.surveys import invitations_create

from .helpers import ADDRESS, answers, respondent, submit

pytestmark = pytest.mark.django_db
USER_AGENT_MARK = "KaoheTest/1.0"


def test_answers_store_no_identifying_column():
    allowed = {
        Response: {"id", "survey", "target", "channel", "day"},
        Answer: {"id", "response", "question", "choice", "text", "hidden"},
        SubmissionMark: {"id", "survey", "kind", "digest"},
    }
    for model, names in allowed.items():
        fields = {f.name for f in model._meta.concrete_fields}
        assert fields == names, model
    assert isinstance(Response._meta.get_field("id"), models.UUIDField)  # no arrival order
    assert isinstance(Response._meta.get_field("day"), models.DateField)
    # Codes and answers never point at each other.
    for model in (Invitation, SubmissionMark):
        assert not [f for f in model._meta.get_fields() if f.related_model in (Response, Answer)]


def _everything_stored_contains(text: str) -> list[str]:
    found = []
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if (
                isinstance(
                    field, (models.CharField, models.TextField, models.GenericIPAddressField)
                )
                and model._default_manager.filter(**{f"{field.name}__contains": text}).exists()
            ):
                found.append(f"{model._meta.label}.{field.name}")
    return found


def test_no_address_or_user_agent_in_the_database_or_logs(caplog):
    setup = make_setup(invitation_only=False)
    [invitation] = invitations_create(
        survey=setup.survey, count=1, actor=setup.office, target=setup.target
    )
    caplog.set_level(logging.DEBUG)
    client = respondent()
    submit(client, setup)  # success
    submit(respondent(), setup, data={})  # missing answers → 400
    submit(respondent(), setup, code=invitation.code)  # invitation
    submit(respondent(), setup, code="FORGED99")  # refused code → 409
    client.get("/s/does-not-exist/")  # 404
    strict = Client(enforce_csrf_checks=True, REMOTE_ADDR=ADDRESS, HTTP_USER_AGENT=USER_AGENT_MARK)
    assert strict.post(f"/s/{setup.target.token}/", answers(setup)).status_code == 403
    assert AuditEvent.objects.filter(action="access.denied").exists()  # the CSRF refusal…
    assert (
        not AuditEvent.objects.exclude(ip_address="").filter(message__contains="/s/").exists()
    )  # …recorded without the address
    assert Response.objects.count() == 2
    assert _everything_stored_contains(ADDRESS) == []
    assert _everything_stored_contains(USER_AGENT_MARK) == []
    logged = "\n".join(
        f"{r.name} {r.getMessage()} {getattr(r, 'request', '')!r}" for r in caplog.records
    )
    assert ADDRESS not in logged
    assert "/s/does-not-exist/" in logged  # the logs were captured at all


def test_address_still_recorded_for_office_pages(client):
    setup = make_setup()
    office = Client(REMOTE_ADDR=ADDRESS)
    office.force_login(setup.office)
    office.post(
        f"/surveys/surveys/{setup.survey.pk}/invitations/", {"count": 1, "target": setup.target.pk}
    )
    assert AuditEvent.objects.filter(
        action="surveys.invitations.create", ip_address=ADDRESS
    ).exists()


def test_without_the_anonymous_prefix_the_address_would_be_recorded(settings):
    """The check above can fail: switching the rule off puts the address in the audit chain."""
    settings.KAOHE_ANONYMOUS_PATHS = ()
    setup = make_setup()
    strict = Client(enforce_csrf_checks=True, REMOTE_ADDR=ADDRESS)
    strict.post(f"/s/{setup.target.token}/", answers(setup))
    assert _everything_stored_contains(ADDRESS) == ["audit.AuditEvent.ip_address"]
