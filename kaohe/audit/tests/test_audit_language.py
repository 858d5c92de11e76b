"""The chain is written in the site's language, whatever language the actor reads."""

import json

import pytest
from django.utils import translation

from kaohe.accounts.choices import Role
from kaohe.audit.services import audit_record, audit_verify

pytestmark = pytest.mark.django_db


def test_an_english_request_records_labels_in_the_site_language():
    with translation.override("en"):
        assert str(Role.AUDIT_ADMIN.label) == "Audit administrator"
        event = audit_record(action="role.assign", after={"role": Role.AUDIT_ADMIN.label})
        assert translation.get_language() == "en"  # the reader's language is restored
    assert json.loads(event.after) == {"role": "审计管理员"}
    assert audit_verify().ok
