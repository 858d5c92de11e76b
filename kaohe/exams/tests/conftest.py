"""An exams world on top of the on-site one: X2 leaves, a bank, a finished staff draw."""

from dataclasses import dataclass
from decimal import Decimal

import pytest

from kaohe.exams.factories import make_bank, make_exam
from kaohe.onsite.populations import from_people
from kaohe.onsite.presets import PRESETS_BY_CODE
from kaohe.onsite.services.draws import draw_announce_seed, draw_execute, draw_prepare
from kaohe.onsite.tests.conftest import World, fast_passwords, world  # noqa: F401
from kaohe.schemes.services import indicator_create


@dataclass
class ExamWorld:
    base: World
    leaf: object
    oral_leaf: object
    bank: object
    exam: object
    draw: object

    @property
    def users(self):
        return self.base.users

    @property
    def subject(self):
        return self.base.county


def done_draw(subject, preset="staff", members=None, seed="20210125"):
    preset = PRESETS_BY_CODE[preset]
    draw = draw_prepare(
        subject=subject,
        title=preset.title,
        members=members if members is not None else from_people(subject.unit),
        rule=preset.rule,
        source=preset.source,
        preset=preset.code,
    )
    draw_announce_seed(draw=draw, seed=seed)
    return draw_execute(draw=draw)


@pytest.fixture(autouse=True)
def fresh_cache():
    """The code rate limiter counts in the cache: each test starts from zero."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def ew(world):  # noqa: F811
    onsite = world.scheme.components.get(code="onsite")
    parent = indicator_create(
        scheme=world.scheme, component=onsite, code="X2", name="依法行政能力测试"
    )
    oral_leaf = indicator_create(
        scheme=world.scheme,
        parent=parent,
        code="X2.1",
        name="领导干部依法行政能力测试",
        max_score=Decimal("10"),
        method="entered",
    )
    leaf = indicator_create(
        scheme=world.scheme,
        parent=parent,
        code="X2.2",
        name="机关人员依法行政能力测试",
        max_score=Decimal("10"),
        method="entered",
    )
    bank = make_bank(world.scheme.owner_unit)
    exam = make_exam(leaf, bank, time_limit_minutes=30)
    return ExamWorld(world, leaf, oral_leaf, bank, exam, done_draw(world.county))
