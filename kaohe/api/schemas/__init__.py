"""Request and response shapes. Scores travel as decimal strings ("89.50"): exact, never
floats; inputs accept a JSON number or a string."""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

from ninja import Field, Schema
from pydantic import StringConstraints

from .paging import PageMeta, page_of

__all__ = ["PageMeta", "page_of"]  # with every shape below (exams and surveys: .feedback)

# Text input: anything but NUL (which PostgreSQL cannot store, and no office text contains).
Text = Annotated[str, StringConstraints(pattern=r"^[^\x00]*$")]


class Error(Schema):
    code: str
    message: str
    errors: list[dict] | None = None


class UnitOut(Schema):
    id: int
    name: str
    short_name: str
    parent_id: int | None
    category: str | None
    path: str


class PersonOut(Schema):
    id: int
    unit_id: int
    name: str
    post: str
    level: str
    is_section_level: bool
    is_active: bool


class SchemeOut(Schema):
    id: int
    code: str
    name: str
    year: int
    status: str
    owner_unit_id: int
    results_stale: bool


class ComponentOut(Schema):
    id: int
    code: str
    name: str
    weight: str
    order: int


class IndicatorOut(Schema):
    id: int
    parent_id: int | None
    component: str | None
    code: str
    name: str
    level: int
    is_leaf: bool
    max_score: str | None
    method: str
    applies_to: list[str]
    deadline: date | None


class GradeLevelOut(Schema):
    name: str
    min_total: str
    quota_percent: str | None
    order: int


class CategoryOut(Schema):
    id: int
    name: str
    unit_categories: list[str]
    grade_levels: list[GradeLevelOut]


class SubjectOut(Schema):
    id: int
    unit_id: int
    unit: str
    unit_category: str | None
    grading_category_id: int | None
    order: int


class ScoreOut(Schema):
    id: int
    subject_id: int
    indicator_id: int
    indicator_code: str
    value: str
    note: str
    source: str
    version: int
    updated_at: datetime


class ScoreIn(Schema):
    value: Decimal | None = Field(None, description="得分；null 清除该项得分")
    note: Text = Field("", max_length=2000)
    version: int | None = Field(
        None, ge=0, le=2**31, description="读取时的版本号（首次录入为 0）；不一致则 409，不写入"
    )
    override_reason: Text = Field("", max_length=500, description="公示/复核阶段修改须说明理由")


class BulkRow(Schema):
    subject_id: int = Field(..., ge=1, le=2**62)
    indicator_id: int | None = Field(None, ge=1, le=2**62)
    indicator_code: Text | None = Field(None, max_length=32)
    value: Decimal | None
    note: Text = Field("", max_length=2000)
    version: int | None = Field(None, ge=0, le=2**31)


class BulkIn(Schema):
    rows: list[BulkRow] = Field(..., min_length=1, max_length=5000)
    override_reason: Text = Field("", max_length=500)


class BulkOut(Schema):
    saved: int
    subjects: int


class DeductionOut(Schema):
    id: int
    subject_id: int
    indicator_id: int
    indicator_code: str
    points: str
    reason: str
    found_on: date | None
    withdrawn: bool


class ComponentScore(Schema):
    code: str
    score: str


class ResultOut(Schema):
    subject_id: int
    unit: str
    grading_category_id: int
    grading_category: str
    rank: int
    total: str
    grade: str
    vetoed: bool
    bonus: str
    penalty: str
    components: list[ComponentScore]


class TraceLine(Schema):
    indicator_id: int
    code: str
    name: str
    method: str
    applies: bool
    max_score: str | None
    value: str | None
    score: str | None
    version: int | None
    entered_by: str | None
    source: str | None


class TraceComponent(Schema):
    code: str
    name: str
    weight: str
    raw: str
    maximum: str
    score: str
    weighted: str
    lines: list[TraceLine]


class TraceOut(Schema):
    subject_id: int
    unit: str
    total: str
    exact_total: str
    bonus: str
    penalty: str
    rank: int | None
    grade: str | None
    stale: bool
    components: list[TraceComponent]
    extras: list[TraceLine]


class TaskOut(Schema):
    id: int
    scheme_id: int
    indicator_id: int
    indicator_code: str
    indicator: str
    unit_id: int
    unit: str
    materials: str
    deadline: date
    status: str


class FileOut(Schema):
    id: int
    task_file_id: int
    number: int
    name: str
    kind: str
    size: int
    sha256: str
    uploaded_at: datetime


class SubmissionOut(Schema):
    id: int
    number: int
    description: str
    submitted_at: datetime
    decision: str
    review_comment: str
    file_version_ids: list[int]


class TaskDetailOut(TaskOut):
    files: list[FileOut]
    submissions: list[SubmissionOut]


class DrawOut(Schema):
    id: int
    subject_id: int
    title: str
    preset: str
    status: str
    seed: str
    digest: str
    drawn_at: datetime | None
    selected: list[dict]


class Check(Schema):
    check: str
    ok: bool


class VerifyOut(Schema):
    draw_id: int
    ok: bool
    digest: str
    checks: list[Check]


class AuditEventOut(Schema):
    id: int
    occurred_at: str
    actor_username: str
    ip_address: str
    action: str
    object_type: str
    object_id: str
    object_repr: str
    scheme_id: int | None
    message: str
    before: str
    after: str
    prev_hash: str
    hash: str


UnitPage = page_of(UnitOut)
PersonPage = page_of(PersonOut)
SchemePage = page_of(SchemeOut)
IndicatorPage = page_of(IndicatorOut)
SubjectPage = page_of(SubjectOut)
ScorePage = page_of(ScoreOut)
DeductionPage = page_of(DeductionOut)
ResultPage = page_of(ResultOut)
TaskPage = page_of(TaskOut)
DrawPage = page_of(DrawOut)
AuditEventPage = page_of(AuditEventOut)
