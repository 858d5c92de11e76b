"""Reads of the surveys app, always given the user; one 404 for "missing" and "not yours".

The office of a scheme sees its questionnaires, surveys, reports and forums; an assessment
team member may type in answers for the subjects of their team. Public pages find a survey
only by its unguessable link token.
"""

import re

from django.http import Http404
from django.utils.translation import gettext as _

from kaohe.accounts.access import record_denial
from kaohe.schemes import access

from .models import Answer, ForumOpinion, ForumRecord, Questionnaire, Survey, SurveyTarget


def _office_or_404(user, scheme, what: str, pk=None) -> None:
    """Not the scheme's office: the same 404 as a missing object, and the denial is audited."""
    if not access.can_manage_scheme(user, scheme):
        record_denial(user, what, pk)
        raise Http404(f"{what}不存在")


def office_scheme(user, scheme_id):
    """The scheme, for its office only (the same 404 for missing and not yours)."""
    return access.access_scheme(user, scheme_id, manage=True)


def questionnaires_for(user, scheme):
    if not access.can_manage_scheme(user, scheme):
        return Questionnaire.objects.none()
    return scheme.questionnaires.all()


def copy_sources(user, scheme):
    """Questionnaires of the other schemes this office manages (last year's first)."""
    schemes = [s for s in access.visible_schemes(user) if access.can_manage_scheme(user, s)]
    return (
        Questionnaire.objects.filter(scheme__in=[s.pk for s in schemes if s.pk != scheme.pk])
        .select_related("scheme")
        .order_by("-scheme__year", "title")
    )


def surveys_for(user, scheme):
    if not access.can_manage_scheme(user, scheme):
        return Survey.objects.none()
    return scheme.surveys.select_related("questionnaire", "indicator")


def team_targets_for(user, scheme):
    """Survey targets the user may type answers in for (office: all; team: their subjects)."""
    subjects = access.visible_subjects(user, scheme)
    if not (access.can_manage_scheme(user, scheme) or access.can_score(user, scheme)):
        return SurveyTarget.objects.none()
    return SurveyTarget.objects.filter(
        survey__scheme=scheme, subject__in=subjects.values("pk")
    ).select_related("survey", "subject__unit")


def access_questionnaire(user, pk) -> Questionnaire:
    questionnaire = Questionnaire.objects.select_related("scheme__owner_unit").filter(pk=pk).first()
    if questionnaire is None:
        raise Http404(_("问卷不存在"))
    _office_or_404(user, questionnaire.scheme, "问卷", pk)
    return questionnaire


def access_survey(user, pk) -> Survey:
    survey = (
        Survey.objects.select_related("scheme__owner_unit", "questionnaire", "indicator")
        .filter(pk=pk)
        .first()
    )
    if survey is None:
        raise Http404(_("调查不存在"))
    _office_or_404(user, survey.scheme, "调查", pk)
    return survey


def result_targets(survey):
    """The subjects of a survey, as its report lists them (tallied by reports.subject_rows)."""
    return survey.targets.select_related("subject__unit", "subject__grading_category").order_by(
        "subject__order", "pk"
    )


def access_target(user, pk, *, enter: bool = False) -> SurveyTarget:
    """A survey's subject: the office always; with enter=True also the subject's team."""
    target = (
        SurveyTarget.objects.select_related(
            "survey__scheme__owner_unit", "survey__questionnaire", "subject__unit"
        )
        .filter(pk=pk)
        .first()
    )
    if target is None:
        raise Http404(_("调查对象不存在"))
    allowed = access.can_manage_scheme(user, target.survey.scheme) or (
        enter and access.can_score_subject(user, target.subject)
    )
    if not allowed:
        record_denial(user, "调查对象", pk)
        raise Http404(_("调查对象不存在"))
    return target


def target_for_leaf(user, subject_id, indicator_id) -> SurveyTarget:
    """The (latest) survey target that scores this leaf for this subject; office only."""
    target = (
        SurveyTarget.objects.filter(subject_id=subject_id, survey__indicator_id=indicator_id)
        .order_by("-survey__closes_at", "-pk")
        .first()
    )
    if target is None:
        raise Http404(_("调查对象不存在"))
    return access_target(user, target.pk)


def access_answer(user, pk) -> Answer:
    answer = Answer.objects.select_related("response__survey__scheme__owner_unit").filter(pk=pk)
    answer = answer.first()
    if answer is None:
        raise Http404(_("答案不存在"))
    _office_or_404(user, answer.response.survey.scheme, "答案", pk)
    return answer


def forums_for(user, scheme):
    if not access.can_manage_scheme(user, scheme):
        return ForumRecord.objects.none()
    return scheme.forums.select_related("subject__unit", "survey").prefetch_related("opinions")


def access_forum(user, pk) -> ForumRecord:
    forum = ForumRecord.objects.select_related("scheme__owner_unit", "subject__unit").filter(pk=pk)
    forum = forum.first()
    if forum is None:
        raise Http404(_("座谈会记录不存在"))
    _office_or_404(user, forum.scheme, "座谈会记录", pk)
    return forum


def access_opinion(user, pk) -> ForumOpinion:
    opinion = ForumOpinion.objects.select_related("forum__scheme__owner_unit").filter(pk=pk)
    opinion = opinion.first()
    if opinion is None:
        raise Http404(_("意见不存在"))
    _office_or_404(user, opinion.forum.scheme, "意见", pk)
    return opinion


# --- public (no account) -------------------------------------------------------------------


TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_-]{1,32}")


def public_target(token: str) -> SurveyTarget:
    """The subject link behind a public token; 404 (no detail) for anything else."""
    if not TOKEN_SHAPE.fullmatch(token or ""):
        raise Http404()
    target = (
        SurveyTarget.objects.select_related(
            "survey__scheme", "survey__questionnaire", "subject__unit"
        )
        .filter(token=token)
        .first()
    )
    if target is None:
        raise Http404()
    return target


def public_survey(token: str) -> Survey:
    """A pick-the-unit survey behind its public token."""
    if not TOKEN_SHAPE.fullmatch(token or ""):
        raise Http404()
    survey = Survey.objects.select_related("scheme", "questionnaire").filter(token=token).first()
    if survey is None:
        raise Http404()
    return survey


def questions_of(questionnaire):
    return list(
        questionnaire.questions.select_related("section")
        .prefetch_related("choices")
        .order_by("order", "id")
    )
