"""Writes to the unit tree."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kaohe.audit.services import audit_record
from kaohe.common.text import join_list
from kaohe.orgs import audit_actions

from .models import Person, Unit, UnitCategory, UnitGroup


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
        action=audit_actions.UNIT_CREATE,
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
        action=audit_actions.PERSON_CREATE,
        actor=actor,
        obj=person,
        after={"unit": unit.pk, "name": person.name, "level": level},
    )
    return person


@transaction.atomic
def unit_group_save(
    *, owner_unit: Unit, name: str, members, note: str = "", actor=None, group=None
) -> UnitGroup:
    """Create or change a named group of units under the office's unit."""
    members = list(members)
    outside = [u.name for u in members if not u.path.startswith(owner_unit.path)]
    if outside:
        raise ValidationError(
            _("以下单位不在本考核办管辖范围内：%(names)s") % {"names": join_list(outside)}
        )
    before = None
    if group is None:
        group = UnitGroup(owner_unit=owner_unit)
    else:
        before = {"name": group.name, "members": sorted(group.members.values_list("pk", flat=True))}
    group.name, group.note = name.strip(), note.strip()
    group.full_clean()
    group.save()
    group.members.set(members)
    audit_record(
        action=audit_actions.UNIT_GROUP_SAVE,
        actor=actor,
        obj=group,
        before=before,
        after={"name": group.name, "members": sorted(u.pk for u in members)},
    )
    return group
