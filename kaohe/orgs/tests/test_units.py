"""The unit tree: materialised paths, subtrees, validation, people, and the audit of each write."""

import pytest
from django.core.exceptions import ValidationError

from kaohe.audit.models import AuditEvent
from kaohe.orgs.factories import make_category, make_person, make_unit
from kaohe.orgs.models import Unit
from kaohe.orgs.selectors import unit_subtree
from kaohe.orgs.services import unit_create

pytestmark = pytest.mark.django_db


def test_paths_nest_and_subtrees_follow_them():
    city = make_unit("濮阳市")
    county = make_unit("清丰县", parent=city, category=make_category("county", "县区"))
    bureau = make_unit("清丰县司法局", parent=county)
    other = make_unit("安阳市")
    assert county.path.startswith(city.path) and bureau.path.startswith(county.path)
    assert set(unit_subtree(city)) == {city, county, bureau}
    assert set(unit_subtree(city, include_self=False)) == {county, bureau}
    assert other not in unit_subtree(city)


def test_a_prefix_of_digits_is_not_a_subtree():
    """Paths are fixed-width ids between slashes: unit 1 is not an ancestor of unit 10."""
    units = [make_unit(f"单位{n}") for n in range(12)]
    first, tenth = units[0], units[9]
    assert tenth not in unit_subtree(first)


def test_blank_name_refused_and_nothing_written():
    with pytest.raises(ValidationError):
        unit_create(name="   ")
    assert not Unit.objects.exists()


def test_creates_are_audited():
    city = make_unit("濮阳市")
    make_person(city, name="李四")
    actions = list(AuditEvent.objects.order_by("pk").values_list("action", flat=True))
    assert actions[-2:] == ["unit.create", "person.create"]
