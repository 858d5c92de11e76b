"""Checks shared by the survey services."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from kaohe.schemes import access


def require_office(actor, scheme) -> None:
    """Only the scheme's office builds questionnaires and surveys (services check it too)."""
    access.require_manage_scheme(actor, scheme)


def require_team(actor, subject) -> None:
    """The office, or a team member assigned to the subject, types in interviewed answers."""
    if actor is None or not access.can_score_subject(actor, subject):
        raise PermissionDenied(_("只有考核办或负责该单位的考核组可以录入答卷。"))
