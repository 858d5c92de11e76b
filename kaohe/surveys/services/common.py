"""Checks shared by the survey services."""

from django.core.exceptions import PermissionDenied

from kaohe.accounts import access


def require_office(actor, scheme) -> None:
    """Only the scheme's office builds questionnaires and surveys (services check it too)."""
    if actor is None or not access.can_manage_scheme(actor, scheme):
        raise PermissionDenied("只有本方案的考核办管理员可以执行此操作。")


def require_team(actor, subject) -> None:
    """The office, or a team member assigned to the subject, types in interviewed answers."""
    if actor is None or not access.can_score_subject(actor, subject):
        raise PermissionDenied("只有考核办或负责该单位的考核组可以录入答卷。")
