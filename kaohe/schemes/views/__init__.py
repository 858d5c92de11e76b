"""Scheme pages for the office: schemes, weights and grades, indicator tree, subjects.

Views parse input, call one service or selector, and render; access is decided in
kaohe.accounts.access (404 for missing and not-yours alike)."""

from .common import _error_text, _saved
from .grading import component_edit, grade_levels_edit, grading_categories
from .indicators import (
    _indicator_fields,
    indicator_create,
    indicator_delete,
    indicator_edit,
    indicator_list,
)
from .schemes import (
    _office_units,
    scheme_copy,
    scheme_create,
    scheme_detail,
    scheme_edit,
    scheme_list,
)
from .subjects import subject_list, subject_withdraw

__all__ = [
    "_error_text",
    "_indicator_fields",
    "_office_units",
    "_saved",
    "component_edit",
    "grade_levels_edit",
    "grading_categories",
    "indicator_create",
    "indicator_delete",
    "indicator_edit",
    "indicator_list",
    "scheme_copy",
    "scheme_create",
    "scheme_detail",
    "scheme_edit",
    "scheme_list",
    "subject_list",
    "subject_withdraw",
]
