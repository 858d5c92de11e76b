"""Every app's factory builds a valid object through the app's services (so a service change
that breaks test set-up is caught here, once, with a clear name)."""

import pytest

from kaohe.api.factories import make_token
from kaohe.api.services import token_digest
from kaohe.audit.chain import audit_verify
from kaohe.audit.factories import make_event
from kaohe.notifications.factories import make_notification
from kaohe.onsite.factories import make_team
from kaohe.onsite.models import Visit
from kaohe.rectification.factories import make_item
from kaohe.schemes.models import Scheme, Subject
from kaohe.scoring.factories import make_score
from kaohe.tasks.factories import make_task
from kaohe.transfer.factories import make_alias

pytestmark = pytest.mark.django_db


def test_factories_build_through_services(demo, demo_users):
    scheme = Scheme.objects.get(code="puyang-2020")
    subject = Subject.objects.get(scheme=scheme, unit__name="清丰县")
    office, team1 = demo_users["office"], demo_users["team1"]
    team = make_team(scheme, leader=team1, name="工厂组", subjects=[subject])
    assert Visit.objects.get(subject=subject).team == team
    leaf = scheme.indicators.get(code="D1")
    entry = make_score(subject, leaf, "20", actor=office)
    assert entry.value == 20 and entry.entered_by == office
    item = make_item(scheme, subject, office=office)
    assert item.subject == subject
    note = make_notification(demo_users["qingfeng"], title="工厂通知")
    assert note.title == "工厂通知" and note.read_at is None
    alias = make_alias(scheme.owner_unit, "清丰", subject.unit, actor=office)
    assert alias.unit == subject.unit
    token, secret = make_token(demo_users["qingfeng"])
    assert token.digest == token_digest(secret) and secret not in token.digest
    task = make_task(scheme, scheme.indicators.get(code="X1.1"), subject.unit, actor=office)
    assert task.unit == subject.unit and task.indicator.code == "X1.1"
    make_event(actor=office)
    assert audit_verify(anchors=False).ok
