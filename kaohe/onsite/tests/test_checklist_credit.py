"""Issue 12 item 6: partial credit per checklist item; a checklist asks before replacing a
score entered another way, and says the score before and after."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from kaohe.onsite import marks
from kaohe.onsite.services import checklists
from kaohe.schemes.models import ScoreEntry
from kaohe.scoring.services import ScoreChange, scores_save

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def value(world):
    entry = ScoreEntry.objects.filter(subject=world.county, indicator=world.leaves["X3.4"]).first()
    return entry and entry.value


def one_line(world, points=None):
    return checklists.checklist_save(
        indicator=world.leaves["X3.4"], items=[("领导重视", points)], per_target=False
    )


def test_fraction_with_partial_items():
    assert marks.checklist_fraction([("partial", None, Decimal("0.5"))]) == Decimal("0.5")
    assert marks.checklist_fraction(
        [("pass", Decimal("6"), None), ("partial", Decimal("4"), Decimal("0.25"))]
    ) == Decimal("0.7")
    assert marks.checklist_fraction([("pass", None), ("fail", None)]) == Decimal("0.5")


def test_one_line_checklist_gives_partial_marks(world):
    checklist = one_line(world)
    item = checklist.items.get()
    checklists.checklist_fill_save(
        checklist=checklist,
        subject=world.county,
        answers={item.pk: ("partial", "汇报不全", Decimal("0.6"))},
    )
    assert value(world) == Decimal("6.00")  # 10 × 60 %, not all-or-nothing
    with pytest.raises(ValidationError, match="部分符合，请填写得分"):
        checklists.checklist_fill_save(
            checklist=checklist, subject=world.county, answers={item.pk: ("partial", "", None)}
        )


def test_replacing_an_entered_score_needs_confirmation(world):
    scores_save(
        subject=world.county,
        changes=[ScoreChange(world.leaves["X3.4"], Decimal("9.30"), "评分")],
        actor=world.users["office"],
    )
    checklist = one_line(world)
    answers = {checklist.items.get().pk: ("pass", "")}
    with pytest.raises(checklists.ScoreReplaceNeeded) as caught:
        checklists.checklist_fill_save(checklist=checklist, subject=world.county, answers=answers)
    assert (caught.value.current, caught.value.new) == (Decimal("9.30"), Decimal("10.00"))
    assert value(world) == Decimal("9.30") and not checklist.fills.exists()  # nothing written
    checklists.checklist_fill_save(
        checklist=checklist, subject=world.county, answers=answers, confirm_replace=True
    )
    assert value(world) == Decimal("10.00")
    # Its own earlier result is replaced without asking again.
    answers = {checklist.items.get().pk: ("partial", "", Decimal("0.5"))}
    checklists.checklist_fill_save(checklist=checklist, subject=world.county, answers=answers)
    assert value(world) == Decimal("5.00")


def test_page_shows_before_and_after_and_asks(world):
    scores_save(
        subject=world.county,
        changes=[ScoreChange(world.leaves["X3.4"], Decimal("9.30"), "评分")],
        actor=world.users["office"],
    )
    checklist = one_line(world, points=Decimal("10"))
    item = checklist.items.get()
    url = reverse("onsite:checklist_fill", args=[world.county.pk, world.leaves["X3.4"].pk])
    client = client_for(world.users["member"])
    page = client.get(url).content.decode()
    assert "9.30" in page and "手工录入" in page and f'name="credit-{item.pk}"' in page
    data = {f"item-{item.pk}": "partial", f"credit-{item.pk}": "7.5"}
    asked = client.post(url, data).content.decode()
    assert 'id="replace-confirm"' in asked and "9.30" in asked and "7.50" in asked
    assert value(world) == Decimal("9.30")
    done = client.post(url, {**data, "confirm_replace": "1"}, follow=True).content.decode()
    assert "得分：9.30 → 7.50" in done
    assert value(world) == Decimal("7.50")
