"""Test factories for schemes."""

from decimal import Decimal

from kaohe.orgs.factories import make_category, make_unit

from .services import grading_category_create, indicator_create, scheme_create


def make_scheme(code: str = "s1", *, categories=None, leaves=None, year: int = 2020):
    """A small scheme under a new city: one grading category per unit category given.

    `leaves` is a list of (component code, code, max, method) tuples; defaults to one
    100-point entered leaf per component.
    """
    city = make_unit(f"{code}-市")
    scheme = scheme_create(code=code, name=f"{code} 方案", year=year, owner_unit=city)
    categories = categories or [make_category()]
    for order, category in enumerate(categories):
        grading_category_create(
            scheme=scheme, name=category.name, unit_categories=[category], order=order
        )
    components = {c.code: c for c in scheme.components.all()}
    for component, code, top, method in leaves or [
        ("daily", "D1", 100, "entered"),
        ("onsite", "X1", 100, "entered"),
        ("satisfaction", "S1", 100, "entered"),
    ]:
        indicator_create(
            scheme=scheme,
            component=components[component],
            code=code,
            name=code,
            max_score=Decimal(top),
            method=method,
        )
    return scheme
