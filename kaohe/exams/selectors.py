"""Reads for the exams app, always given the user.

Who may do what (built on kaohe.schemes.access and the on-site team rules):
- question banks: the office admins of the bank's unit (or above it);
- exams (paper rules) of a scheme: the scheme's office;
- sittings: the scheme's office and the team visiting the subject (kaohe.onsite.selectors);
- examinees reach only their own paper, through their one-time code (no account).
Everything else is the same 404 as "missing".
"""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _

from kaohe.onsite import selectors as onsite
from kaohe.schemes import access

from .choices import SittingStatus
from .models import Answer, Exam, Examinee, Question, QuestionBank, Sitting


def banks(user):
    """Banks the user may manage."""
    if getattr(user, "is_superuser", False):
        return QuestionBank.objects.all()
    return QuestionBank.objects.filter(
        access.unit_q(user, access.Role.OFFICE_ADMIN, prefix="owner_unit__")
    )


def can_manage_banks(user) -> bool:
    return access.is_office_anywhere(user)


def access_bank(user, pk) -> QuestionBank:
    bank = banks(user).select_related("owner_unit").filter(pk=pk).first()
    if bank is None:
        raise Http404(_("题库不存在"))
    return bank


def access_question(user, pk) -> Question:
    question = Question.objects.select_related("bank").filter(pk=pk).first()
    if question is None or not banks(user).filter(pk=question.bank_id).exists():
        raise Http404(_("试题不存在"))
    return question


def exam_schemes(user):
    """Schemes with tests for the user: managed, team member of, or enrolled in."""
    return onsite.onsite_schemes(user)


def access_work_subject(user, pk):
    """A subject the user works on (the office, or the team visiting it)."""
    return onsite.access_onsite_subject(user, pk, work=True)


def access_exam_scheme(user, pk):
    """The scheme, for its office (who sets the exams) or a team member (who runs sittings)."""
    return onsite.access_onsite_scheme(user, pk)


def can_manage_exams(user, scheme) -> bool:
    return access.can_manage_scheme(user, scheme)


def access_exam(user, pk, *, manage: bool = False) -> Exam:
    exam = (
        Exam.objects.select_related("scheme__owner_unit", "indicator", "bank").filter(pk=pk).first()
    )
    if exam is None:
        raise Http404(_("测试不存在"))
    if access.can_manage_scheme(user, exam.scheme):
        return exam
    if not manage and onsite.user_teams(user, exam.scheme).exists():
        return exam
    raise Http404(_("测试不存在"))


def scheme_exams(scheme):
    return Exam.objects.filter(scheme=scheme).select_related("indicator", "bank")


def sittings(user, scheme):
    """Sittings of subjects the user works on (office: all of the scheme)."""
    subjects = onsite.onsite_subjects(user, scheme)
    if not access.can_manage_scheme(user, scheme):
        subjects = subjects.filter(access.team_subject_q(user))
    return (
        Sitting.objects.filter(exam__scheme=scheme, subject__in=subjects)
        .select_related("exam", "subject__unit", "draw")
        .order_by("-created_at")
    )


def result_sittings(user, scheme):
    """The sittings whose results the user reads (the scheme report, the API): those of
    `sittings` that were not cancelled, with what a result row needs loaded at once."""
    return (
        sittings(user, scheme)
        .exclude(status=SittingStatus.CANCELLED)
        .select_related("exam__indicator")
        .prefetch_related("examinees")
    )


def access_sitting(user, pk) -> Sitting:
    sitting = (
        Sitting.objects.select_related(
            "exam__scheme__owner_unit",
            "exam__indicator",
            "subject__unit",
            "subject__scheme",
            "draw",
        )
        .filter(pk=pk)
        .first()
    )
    if sitting is None or not onsite.can_work_on(user, sitting.subject):
        raise Http404(_("考试场次不存在"))
    return sitting


def access_examinee(user, pk) -> Examinee:
    examinee = Examinee.objects.select_related("sitting").filter(pk=pk).first()
    if examinee is None:
        raise Http404(_("考生不存在"))
    access_sitting(user, examinee.sitting_id)
    return examinee


def access_answer(user, pk) -> Answer:
    answer = Answer.objects.select_related("examinee__sitting", "question").filter(pk=pk).first()
    if answer is None:
        raise Http404(_("作答不存在"))
    access_sitting(user, answer.examinee.sitting_id)
    return answer


def sitting_for_draw(user, draw_pk):
    """The on-site draw a sitting starts from (work rights on its subject)."""
    return onsite.access_draw(user, draw_pk, work=True)
