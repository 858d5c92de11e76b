"""Schemes and their rules: components, the indicator tree, grading categories with grade
rules, and subjects; visibility from kaohe.accounts.access as on the scheme pages."""

from ninja import Field, Query, Router, Schema

from kaohe.schemes import access
from kaohe.schemes.selectors import indicator_tree

from ..schemas import (
    CategoryOut,
    ComponentOut,
    IndicatorPage,
    SchemeOut,
    SchemePage,
    SubjectPage,
    Text,
)
from .common import READ_ERRORS, Paging, dec, id_param, page, pk

router = Router(tags=["考核方案与指标"])


def scheme_out(s) -> dict:
    return {
        "id": s.pk,
        "code": s.code,
        "name": s.name,
        "year": s.year,
        "status": s.status,
        "owner_unit_id": s.owner_unit_id,
        "results_stale": s.results_stale,
    }


def subject_out(s) -> dict:
    return {
        "id": s.pk,
        "unit_id": s.unit_id,
        "unit": s.unit.name,
        "unit_category": s.unit_category.code if s.unit_category_id else None,
        "grading_category_id": s.grading_category_id,
        "order": s.order,
    }


def indicator_out(i) -> dict:
    return {
        "id": i.pk,
        "parent_id": i.parent_id,
        "component": i.component.code if i.component_id else None,
        "code": i.code,
        "name": i.name,
        "level": i.level,
        "is_leaf": i.is_leaf,
        "max_score": dec(i.max_score),
        "method": i.method,
        "applies_to": [c.code for c in i.applies_to.all()],
        "deadline": i.deadline,
    }


@router.get("/schemes", response={200: SchemePage, **READ_ERRORS}, summary="考核方案列表")
def scheme_list(request, paging: Query[Paging], year: int | None = None):
    schemes = access.visible_schemes(request.user).order_by("-year", "code")
    if year is not None:
        schemes = schemes.filter(year=year)
    return page(schemes, paging, scheme_out)


@router.get("/schemes/{scheme_id}", response={200: SchemeOut, **READ_ERRORS}, summary="考核方案")
def scheme_detail(request, scheme_id: int = pk()):
    return scheme_out(access.access_scheme(request.user, scheme_id))


@router.get(
    "/schemes/{scheme_id}/components",
    response={200: list[ComponentOut], **READ_ERRORS},
    summary="考核组成部分及权重",
)
def component_list(request, scheme_id: int = pk()):
    scheme = access.access_scheme(request.user, scheme_id)
    return [
        {"id": c.pk, "code": c.code, "name": c.name, "weight": str(c.weight), "order": c.order}
        for c in scheme.components.order_by("order")
    ]


class IndicatorFilter(Schema):
    component: Text | None = Field(None, max_length=32)
    level: int | None = None
    leaf: bool | None = None


@router.get(
    "/schemes/{scheme_id}/indicators",
    response={200: IndicatorPage, **READ_ERRORS},
    summary="指标树（深度优先顺序，parent_id 表示上级）",
)
def indicator_list(
    request, paging: Query[Paging], flt: Query[IndicatorFilter], scheme_id: int = pk()
):
    scheme = access.access_scheme(request.user, scheme_id)
    nodes = indicator_tree(scheme=scheme)
    if flt.component:
        nodes = [n for n in nodes if n.component_id and n.component.code == flt.component]
    if flt.level is not None:
        nodes = [n for n in nodes if n.level == flt.level]
    if flt.leaf is not None:
        nodes = [n for n in nodes if n.is_leaf == flt.leaf]
    return page(nodes, paging, indicator_out)


@router.get(
    "/schemes/{scheme_id}/categories",
    response={200: list[CategoryOut], **READ_ERRORS},
    summary="评定类别及等次规则",
)
def category_list(request, scheme_id: int = pk()):
    scheme = access.access_scheme(request.user, scheme_id)
    levels: dict[int | None, list] = {}
    for g in scheme.grade_levels.order_by("order", "-min_total"):
        levels.setdefault(g.grading_category_id, []).append(g)
    categories = scheme.grading_categories.prefetch_related("unit_categories")
    return [
        {
            "id": c.pk,
            "name": c.name,
            "unit_categories": [u.code for u in c.unit_categories.all()],
            # Category-specific levels override the scheme's default ones.
            "grade_levels": [
                {
                    "name": g.name,
                    "min_total": str(g.min_total),
                    "quota_percent": dec(g.quota_percent),
                    "order": g.order,
                }
                for g in levels.get(c.pk) or levels.get(None, [])
            ],
        }
        for c in categories.order_by("order", "pk")
    ]


class SubjectFilter(Schema):
    unit_id: int | None = id_param("单位")
    category_id: int | None = id_param("评定类别")


@router.get(
    "/schemes/{scheme_id}/subjects",
    response={200: SubjectPage, **READ_ERRORS},
    summary="考核对象",
)
def subject_list(request, paging: Query[Paging], flt: Query[SubjectFilter], scheme_id: int = pk()):
    scheme = access.access_scheme(request.user, scheme_id)
    subjects = access.visible_subjects(request.user, scheme).order_by("order", "pk")
    if flt.unit_id:
        subjects = subjects.filter(unit_id=flt.unit_id)
    if flt.category_id:
        subjects = subjects.filter(grading_category_id=flt.category_id)
    return page(subjects, paging, subject_out)
