"""Satisfaction surveys: questionnaires, surveys and their links, anonymous answers, forums."""

from .forums import ForumOpinion, ForumRecord
from .questionnaires import Choice, Question, Questionnaire, Section
from .responses import Answer, DuplicateBurst, Response, SubmissionMark
from .surveys import Invitation, Survey, SurveyTarget

__all__ = [
    "Answer",
    "Choice",
    "DuplicateBurst",
    "ForumOpinion",
    "ForumRecord",
    "Invitation",
    "Question",
    "Questionnaire",
    "Response",
    "Section",
    "SubmissionMark",
    "Survey",
    "SurveyTarget",
]
