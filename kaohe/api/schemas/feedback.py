"""Shapes of the legal-knowledge test results (exams) and the satisfaction survey results
(surveys). Survey results are counts and shares per subject and per option: no response,
respondent, free text, invitation or address ever leaves through the API."""

from datetime import datetime

from ninja import Schema

from .paging import page_of


class ExamResultOut(Schema):
    sitting_id: int
    subject_id: int
    unit: str
    indicator_id: int
    indicator_code: str
    exam: str
    mode: str
    status: str
    full_marks: str
    people: int
    sat: int
    average: str
    average_percent: str
    pass_rate: str
    unit_formula: str
    result_percent: str | None


class ExamineeOut(Schema):
    id: int
    seat: int
    name: str
    stratum: str
    status: str
    score: str | None
    percent: str
    passed: bool
    leave_count: int
    submitted_at: datetime | None
    submit_reason: str


class SurveyOut(Schema):
    id: int
    title: str
    indicator_id: int | None
    indicator_code: str | None
    mode: str
    opens_at: datetime
    closes_at: datetime
    min_answers: int


class ChannelCount(Schema):
    channel: str
    responses: int


class SurveyResultOut(Schema):
    subject_id: int
    unit: str
    grading_category: str
    responses: int
    channels: list[ChannelCount]
    share_percent: str | None
    satisfaction_rate: str | None
    score: str | None
    below_min: bool


class OptionCount(Schema):
    label: str
    points: str | None
    count: int
    percent: str | None


class QuestionResultOut(Schema):
    question_id: int
    text: str
    kind: str
    options: list[OptionCount]


ExamResultPage = page_of(ExamResultOut)
ExamineePage = page_of(ExamineeOut)
SurveyPage = page_of(SurveyOut)
SurveyResultPage = page_of(SurveyResultOut)
QuestionResultPage = page_of(QuestionResultOut)
