"""Units and people the user may see (the same rule as the unit pages)."""

from django.http import Http404
from ninja import Field, Query, Router, Schema

from kaohe.orgs.models import Person
from kaohe.transfer.selectors import visible_units

from ..schemas import PersonPage, Text, UnitOut, UnitPage
from .common import READ_ERRORS, Paging, page, pk

router = Router(tags=["单位与人员"])


def unit_out(u) -> dict:
    return {
        "id": u.pk,
        "name": u.name,
        "short_name": u.short_name,
        "parent_id": u.parent_id,
        "category": u.category.code if u.category_id else None,
        "path": u.path,
    }


def person_out(p) -> dict:
    return {
        "id": p.pk,
        "unit_id": p.unit_id,
        "name": p.name,
        "post": p.post,
        "level": p.level,
        "is_section_level": p.is_section_level,
        "is_active": p.is_active,
    }


def _access_unit(user, unit_id: int):
    unit = visible_units(user).select_related("category").filter(pk=unit_id).first()
    if unit is None:
        raise Http404("单位不存在")
    return unit


class UnitFilter(Schema):
    q: Text = Field("", max_length=64, description="单位名称包含")


@router.get("/units", response={200: UnitPage, **READ_ERRORS}, summary="单位列表")
def unit_list(request, paging: Query[Paging], flt: Query[UnitFilter]):
    units = visible_units(request.user).select_related("category").order_by("path", "order")
    if flt.q:
        units = units.filter(name__contains=flt.q)
    return page(units, paging, unit_out)


@router.get("/units/{unit_id}", response={200: UnitOut, **READ_ERRORS}, summary="单位")
def unit_detail(request, unit_id: int = pk()):
    return unit_out(_access_unit(request.user, unit_id))


@router.get(
    "/units/{unit_id}/people", response={200: PersonPage, **READ_ERRORS}, summary="单位人员"
)
def unit_people(request, paging: Query[Paging], unit_id: int = pk()):
    unit = _access_unit(request.user, unit_id)
    people = Person.objects.filter(unit=unit).order_by("pk")
    return page(people, paging, person_out)
