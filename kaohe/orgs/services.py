"""Writes to the unit tree."""

from django.db import transaction

from kaohe.audit.services import audit_record

from .models import Person, Unit, UnitCategory


@transaction.atomic
def unit_create(
    *,
    name: str,
    parent: Unit | None = None,
    category: UnitCategory | None = None,
    short_name: str = "",
    order: int = 0,
    actor=None,
) -> Unit:
    unit = Unit(
        name=name.strip(), parent=parent, category=category, short_name=short_name, order=order
    )
    unit.full_clean(exclude=["path"])
    unit.save()
    unit.path = unit.build_path()
    unit.save(update_fields=["path"])
    audit_record(
        action="unit.create",
        actor=actor,
        obj=unit,
        after={"name": unit.name, "parent": parent.pk if parent else None},
    )
    return unit


@transaction.atomic
def person_create(
    *, unit: Unit, name: str, level: str, post: str = "", is_section_level: bool = False, actor=None
) -> Person:
    person = Person(
        unit=unit, name=name.strip(), level=level, post=post, is_section_level=is_section_level
    )
    person.full_clean()
    person.save()
    audit_record(
        action="person.create",
        actor=actor,
        obj=person,
        after={"unit": unit.pk, "name": person.name, "level": level},
    )
    return person
