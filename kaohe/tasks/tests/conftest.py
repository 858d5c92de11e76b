"""Fixtures for the task tests: uploads land in a temporary MEDIA_ROOT."""

from datetime import timedelta

import pytest
from django.utils import timezone

from kaohe.accounts.choices import Role
from kaohe.common.testing import (  # noqa: F401 — file builders shared with the upload tests
    PDF,
    PNG,
    docx_bytes,
    make_category,
    make_scheme,
    make_unit,
    make_user,
    ofd_bytes,
    upload,
    xlsx_bytes,
    zip_bytes,
)
from kaohe.orgs.services import person_create
from kaohe.schemes.services import indicator_create


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.FILE_UPLOAD_MAX_MB = 1
    # PBKDF2 costs ~0.8 s per user here; these tests are not about passwords.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return settings.MEDIA_ROOT


class World:
    """A small scheme: city office, two departments, two indicators and their users."""

    def __init__(self):
        category = make_category()
        self.scheme = make_scheme("t1", categories=[category])
        self.city = self.scheme.owner_unit
        self.unit_a = make_unit("市司法局", parent=self.city, category=category)
        self.unit_b = make_unit("市住建局", parent=self.city, category=category)
        onsite = self.scheme.components.get(code="onsite")
        deadline = timezone.localdate() + timedelta(days=20)
        self.report = indicator_create(
            scheme=self.scheme,
            component=onsite,
            code="X9",
            name="听取汇报",
            max_score=10,
            materials="法治政府建设工作汇报",
            deadline=deadline,
            responsible_units=[self.unit_a, self.unit_b],
        )
        self.people_ind = indicator_create(
            scheme=self.scheme,
            component=onsite,
            code="X10",
            name="机关人员依法行政能力测试",
            max_score=10,
            materials="各推荐5名行政执法人员（其中科级干部不少于3人），名单递交市法治政府建设领导小组办公室",
            deadline=deadline,
            responsible_units=[self.unit_a],
        )
        self.firm_ind = indicator_create(
            scheme=self.scheme,
            component=onsite,
            code="X11",
            name="走访当地民营企业",
            max_score=5,
            materials="各推荐一家民营企业，名单报至市法治政府建设领导小组办公室",
            deadline=deadline,
            responsible_units=[self.unit_b],
        )
        self.office = make_user("office1", role=Role.OFFICE_ADMIN, unit=self.city, subtree=True)
        self.office.email = "office1@example.invalid"
        self.office.save()
        self.team = make_user("team1x", role=Role.TEAM_LEADER, unit=self.city, subtree=True)
        self._team_visits_unit_a()
        self.user_a = make_user("unit_a", role=Role.UNIT_USER, unit=self.unit_a)
        self.user_a.email = "a@example.invalid"
        self.user_a.save()
        self.user_b = make_user("unit_b", role=Role.UNIT_USER, unit=self.unit_b)
        self.user_b.email = "b@example.invalid"
        self.user_b.save()
        self.people = [
            person_create(
                unit=self.unit_a, name=f"执法{i}", level="enforcement", is_section_level=i < 3
            )
            for i in range(6)
        ] + [person_create(unit=self.unit_a, name="科长甲", level="middle", is_section_level=True)]
        self.other_person = person_create(
            unit=self.unit_b, name="外单位", level="enforcement", is_section_level=True
        )

    def _team_visits_unit_a(self):
        """The team visits 市司法局 only: it reads that unit's materials, not 市住建局's."""
        from kaohe.onsite.services.teams import team_create, visit_assign
        from kaohe.schemes.services import subject_enrol

        visit_assign(
            team=team_create(scheme=self.scheme, name="第一考核组", leader=self.team),
            subjects=[subject_enrol(scheme=self.scheme, unit=self.unit_a)],
        )

    def task(self, indicator=None, unit=None):
        from kaohe.tasks.models import Task

        return Task.objects.get(indicator=indicator or self.report, unit=unit or self.unit_a)


@pytest.fixture
def world(db):
    from kaohe.tasks.services import tasks_generate

    w = World()
    tasks_generate(scheme=w.scheme, actor=w.office)
    return w
