"""Writes to schemes: creation and copying, the indicator tree, grading rules, enrolment.

Scores are written by kaohe.scoring.services (the one score service).

Every service is keyword-only, runs in a transaction and writes its own audit event."""

from .grading import (
    GradeLevelSpec,
    component_create,
    component_update,
    grade_levels_save,
    grading_category_create,
    grading_category_delete,
)
from .indicators import (
    INDICATOR_FIELDS,
    _check_existing_scores,
    _check_veto_grade,
    indicator_create,
    indicator_delete,
    indicator_update,
)
from .rules import (
    DEFAULT_COMPONENTS,
    DEFAULT_GRADES,
    RULE_FIELDS,
    _check_tie_break,
    _record_rule_change,
    check_rules_editable,
)
from .schemes import SCHEME_FIELDS, _shift_year, scheme_copy, scheme_create, scheme_update
from .subjects import subject_enrol, subject_withdraw

__all__ = [
    "DEFAULT_COMPONENTS",
    "DEFAULT_GRADES",
    "GradeLevelSpec",
    "INDICATOR_FIELDS",
    "RULE_FIELDS",
    "SCHEME_FIELDS",
    "_check_existing_scores",
    "_check_tie_break",
    "_check_veto_grade",
    "_record_rule_change",
    "_shift_year",
    "check_rules_editable",
    "component_create",
    "component_update",
    "grade_levels_save",
    "grading_category_create",
    "grading_category_delete",
    "indicator_create",
    "indicator_delete",
    "indicator_update",
    "scheme_copy",
    "scheme_create",
    "scheme_update",
    "subject_enrol",
    "subject_withdraw",
]
