"""Enrolment: enrol a unit as a subject of a scheme, withdraw it."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError, RestrictedError
from django.utils.translation import gettext

from kaohe.audit.services import audit_record
from kaohe.common.text import join_list
from kaohe.schemes import audit_actions

from ..models import (
    Scheme,
    Subject,
)
from .rules import check_rules_editable

# --- subjects ---------------------------------------------------------------------------


@transaction.atomic
def subject_enrol(*, scheme: Scheme, unit, actor=None, order: int | None = None) -> Subject:
    """Enrol a unit; its category decides its grading category."""
    check_rules_editable(scheme)
    if unit.category_id is None:
        raise ValidationError(
            gettext("单位“%(unit)s”没有类别，不能作为考核对象。") % {"unit": unit}
        )
    if not unit.path.startswith(scheme.owner_unit.path) or unit.pk == scheme.owner_unit_id:
        raise ValidationError(
            gettext("单位“%(unit)s”不在“%(owner_unit)s”之下，不能纳入本方案。")
            % {"unit": unit, "owner_unit": scheme.owner_unit}
        )
    grading = scheme.grading_categories.filter(unit_categories=unit.category_id).first()
    if grading is None:
        raise ValidationError(
            gettext("方案中没有包含“%(category)s”类别的评定组别。") % {"category": unit.category}
        )
    if Subject.objects.filter(scheme=scheme, unit=unit).exists():
        raise ValidationError(gettext("单位“%(unit)s”已是本方案的考核对象。") % {"unit": unit})
    if order is None:
        order = Subject.objects.filter(scheme=scheme).count() + 1
    subject = Subject.objects.create(
        scheme=scheme,
        unit=unit,
        unit_category_id=unit.category_id,
        grading_category=grading,
        order=order,
    )
    Scheme.mark_results_stale(scheme.pk)
    audit_record(
        action=audit_actions.SUBJECT_ENROL,
        actor=actor,
        obj=subject,
        scheme_id=scheme.pk,
        after={"unit": unit.pk, "grading_category": grading.name},
    )
    return subject


@transaction.atomic
def subject_withdraw(*, subject: Subject, actor=None) -> None:
    check_rules_editable(subject.scheme)
    audit_record(
        action=audit_actions.SUBJECT_WITHDRAW,
        actor=actor,
        obj=subject,
        scheme_id=subject.scheme_id,
        before={
            "unit": subject.unit_id,
            "scores": list(subject.scores.values_list("indicator__code", "value")),
        },
    )
    Scheme.mark_results_stale(subject.scheme_id)
    try:
        subject.delete()  # its stored results go with it (scoring.signals)
    except (ProtectedError, RestrictedError) as error:
        # Records other apps keep on purpose (a test sat on an on-site draw…): say which, change
        # nothing (the audit event above rolls back with the transaction).
        kept = sorted({str(obj._meta.verbose_name) for obj in _blocking(error)})
        raise ValidationError(
            gettext("“%(unit)s”已有%(records)s，不能移出考核对象。")
            % {"unit": subject.unit, "records": join_list(kept)}
        ) from error


def _blocking(error):
    return (
        error.protected_objects if isinstance(error, ProtectedError) else error.restricted_objects
    )
