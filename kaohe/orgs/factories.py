"""Test factories for the unit tree (used by every app's tests through kaohe.common.testing)."""

from .models import Person, UnitCategory
from .services import person_create, unit_create


def make_category(code: str = "department", name: str = "市直部门") -> UnitCategory:
    category, _ = UnitCategory.objects.get_or_create(code=code, defaults={"name": name})
    return category


def make_unit(name: str, parent=None, category=None):
    return unit_create(name=name, parent=parent, category=category)


def make_person(unit, name: str = "张三", level: str = "general") -> Person:
    return person_create(unit=unit, name=name, level=level)
