"""Test factories: a small scheme with subjects, an office user, a questionnaire and a survey."""

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from kaohe.common.testing import Role, make_category, make_scheme, make_unit, make_user

from .choices import DEFAULT_RATING_SCALE, QuestionKind
from .services.questionnaires import QuestionSpec, question_save, questionnaire_create
from .services.surveys import survey_create


@dataclass
class Setup:
    scheme: object
    office: object
    subjects: list
    questionnaire: object
    survey: object
    rating: object
    single: object
    text: object

    @property
    def target(self):
        return self.survey.targets.get(subject=self.subjects[0])


def rating_spec(text="总体满意度", required=True) -> QuestionSpec:
    return QuestionSpec(QuestionKind.RATING, text, required, "", list(DEFAULT_RATING_SCALE))


def make_setup(code="sv", *, quota=None, min_answers=0, invitation_only=False, open_now=True):
    category = make_category()
    scheme = make_scheme(
        code, categories=[category], leaves=[("satisfaction", "S1", 50, "entered")]
    )
    scheme.status = "active"
    scheme.save()
    office = make_user(
        f"{code}-office", role=Role.OFFICE_ADMIN, unit=scheme.owner_unit, subtree=True
    )
    from kaohe.schemes.services import subject_enrol

    subjects = [
        subject_enrol(
            scheme=scheme,
            unit=make_unit(f"{code}单位{i}", parent=scheme.owner_unit, category=category),
        )
        for i in range(2)
    ]
    questionnaire = questionnaire_create(
        scheme=scheme, title="满意度问卷", kind="hall", actor=office
    )
    rating = question_save(questionnaire=questionnaire, spec=rating_spec(), actor=office)
    single = question_save(
        questionnaire=questionnaire,
        spec=QuestionSpec(
            QuestionKind.SINGLE, "办理事项", True, "", [("开办", None), ("登记", None)]
        ),
        actor=office,
    )
    text = question_save(
        questionnaire=questionnaire,
        spec=QuestionSpec(QuestionKind.TEXT, "意见建议", False, "", [], 50),
        actor=office,
    )
    now = timezone.now()
    survey = survey_create(
        scheme=scheme,
        questionnaire=questionnaire,
        title="大厅满意度调查",
        opens_at=now - timedelta(days=1) if open_now else now + timedelta(days=1),
        closes_at=now + timedelta(days=2),
        subjects=subjects,
        indicator=scheme.indicators.get(code="S1"),
        quota=quota,
        min_answers=min_answers,
        invitation_only=invitation_only,
        actor=office,
    )
    return Setup(scheme, office, subjects, questionnaire, survey, rating, single, text)


def choice(question, label):
    return question.choices.get(label=label)


def points(label) -> Decimal:
    return dict(DEFAULT_RATING_SCALE)[label]
