"""Scores: read, write one, write many. Every write goes through the one score service
(version check, range check, lock rules, audit) exactly as the pages and the Excel import."""

from collections import defaultdict

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse
from ninja import Header, Query, Router, Schema, Status

from kaohe.audit.services import audit_record
from kaohe.schemes import access
from kaohe.schemes.choices import ScoreSource
from kaohe.schemes.models import Indicator, ScoreEntry, Subject
from kaohe.scoring.loading import scorable_leaves
from kaohe.transfer.selectors import score_subjects

from .. import audit_actions
from ..auth import require_write
from ..errors import ApiError
from ..schemas import BulkIn, BulkOut, ScoreIn, ScoreOut, ScorePage
from ..score_service import (
    ScoreChange,
    ScoreConflict,
    check_scores_editable,
    score_errors,
    score_set,
    scores_save,
)
from .common import READ_ERRORS, WRITE_ERRORS, Paging, id_param, page, pk

router = Router(tags=["得分"])
SOURCE = ScoreSource.API


def score_out(e: ScoreEntry) -> dict:
    return {
        "id": e.pk,
        "subject_id": e.subject_id,
        "indicator_id": e.indicator_id,
        "indicator_code": e.indicator.code,
        "value": str(e.value),
        "note": e.note,
        "source": e.source,
        "version": e.version,
        "updated_at": e.updated_at,
    }


class ScoreFilter(Schema):
    subject_id: int | None = id_param("考核对象")
    unit_id: int | None = id_param("单位")
    category_id: int | None = id_param("评定类别")
    indicator_id: int | None = id_param("指标")


@router.get(
    "/schemes/{scheme_id}/scores", response={200: ScorePage, **READ_ERRORS}, summary="得分列表"
)
def score_list(request, paging: Query[Paging], flt: Query[ScoreFilter], scheme_id: int = pk()):
    scheme = access.access_scheme(request.user, scheme_id)
    subjects = score_subjects(request.user, scheme)
    if flt.subject_id:
        subjects = subjects.filter(pk=flt.subject_id)
    if flt.unit_id:
        subjects = subjects.filter(unit_id=flt.unit_id)
    if flt.category_id:
        subjects = subjects.filter(grading_category_id=flt.category_id)
    entries = ScoreEntry.objects.filter(subject__in=subjects.values("pk")).select_related(
        "indicator"
    )
    if flt.indicator_id:
        entries = entries.filter(indicator_id=flt.indicator_id)
    return page(entries.order_by("subject_id", "indicator_id"), paging, score_out)


class Enterable:
    """What the user may type for a subject, as on the score entry page: leaves that apply to
    the subject's category, of the components access.enterable_components allows."""

    def __init__(self, user, scheme):
        self.user, self.scheme, self.applicable = user, scheme, {}

    def refusal(self, subject: Subject, indicator: Indicator) -> str:
        key = subject.unit_category_id
        if key not in self.applicable:
            leaves = scorable_leaves(self.scheme).applying_to(subject)
            self.applicable[key] = set(leaves.values_list("pk", flat=True))
        if indicator.pk not in self.applicable[key]:
            return f"{indicator.code}：不是适用于该考核对象的末级指标。"
        components = access.enterable_components(self.user, subject)
        if components is not None and indicator.component.code not in components:
            return f"{indicator.code}：无权录入该类指标（考核组只录入实地考核指标）。"
        return ""


def _scoring_target(user, subject_id: int, indicator_id: int) -> tuple[Subject, Indicator]:
    subject = access.access_subject(user, subject_id, score=True)
    indicator = (
        Indicator.objects.select_related("component")
        .filter(pk=indicator_id, scheme_id=subject.scheme_id)
        .first()
    )
    if indicator is None:
        raise Http404("指标不存在")
    refusal = Enterable(user, subject.scheme).refusal(subject, indicator)
    if refusal:
        raise ApiError(403, "not_enterable", refusal)
    return subject, indicator


def _if_match(value: str | None) -> int | None:
    if not value:
        return None
    text = value.strip().removeprefix("W/").strip('"')
    if not text.isdigit() or len(text) > 9:
        raise ApiError(400, "bad_if_match", "If-Match 应为读取得分时返回的 ETag（版本号）。")
    return int(text)


@router.get(
    "/subjects/{subject_id}/scores/{indicator_id}",
    response={200: ScoreOut, **READ_ERRORS},
    summary="一项得分（ETag 为版本号）",
)
def score_detail(request, response: HttpResponse, subject_id: int = pk(), indicator_id: int = pk()):
    subject = access.access_subject(request.user, subject_id)
    if not score_subjects(request.user, subject.scheme).filter(pk=subject.pk).exists():
        raise Http404("考核对象不存在")
    entry = (
        ScoreEntry.objects.select_related("indicator")
        .filter(subject=subject, indicator_id=indicator_id)
        .first()
    )
    if entry is None:
        raise Http404("该指标尚无得分")
    response["ETag"] = f'"{entry.version}"'
    return score_out(entry)


@router.put(
    "/subjects/{subject_id}/scores/{indicator_id}",
    response={200: ScoreOut, 204: None, **WRITE_ERRORS},
    summary="录入或修改一项得分（version 或 If-Match 防止覆盖他人修改）",
)
def score_put(
    request,
    response: HttpResponse,
    payload: ScoreIn,
    subject_id: int = pk(),
    indicator_id: int = pk(),
    if_match: str | None = Header(None, alias="If-Match"),
):
    require_write(request)
    subject, indicator = _scoring_target(request.user, subject_id, indicator_id)
    expected = _if_match(if_match)
    entry = score_set(
        subject=subject,
        indicator=indicator,
        value=payload.value,
        note=payload.note,
        actor=request.user,
        expected_version=expected if expected is not None else payload.version,
        source=SOURCE,
        override_reason=payload.override_reason,
    )
    if entry is None:
        return Status(204, None)
    entry = ScoreEntry.objects.select_related("indicator").get(pk=entry.pk)
    response["ETag"] = f'"{entry.version}"'
    return score_out(entry)


@router.post(
    "/schemes/{scheme_id}/scores/bulk",
    response={200: BulkOut, **WRITE_ERRORS},
    summary="批量录入得分（全部成功或全部不写入，逐行报告错误）",
)
def score_bulk(request, payload: BulkIn, scheme_id: int = pk()):
    require_write(request)
    scheme = access.access_scheme(request.user, scheme_id)
    check_scores_editable(scheme, payload.override_reason)
    plan, errors = _plan(request.user, scheme, payload.rows)
    if errors:
        raise _row_errors(errors)
    with transaction.atomic():
        for subject, rows in plan.items():
            errors += _save_subject(request.user, subject, rows, payload.override_reason)
        if errors:
            transaction.set_rollback(True)
            raise _row_errors(errors)
        saved = sum(len(rows) for rows in plan.values())
        audit_record(
            action=audit_actions.SCORES_BULK,
            actor=request.user,
            obj=scheme,
            scheme_id=scheme.pk,
            after={"rows": saved, "subjects": len(plan)},
            message=f"接口批量录入得分 {saved} 条",
        )
    return {"saved": saved, "subjects": len(plan)}


def _row_errors(errors: list[dict]) -> ApiError:
    errors.sort(key=lambda e: e["row"])
    return ApiError(400, "invalid_rows", f"有 {len(errors)} 行不能保存，全部未写入。", errors)


def _plan(user, scheme, rows) -> tuple[dict, list[dict]]:
    """Resolve every row to (subject, indicator); every unresolved row is an error."""
    subjects = {
        s.pk: s
        for s in Subject.objects.select_related("scheme__owner_unit", "unit").filter(
            scheme=scheme, pk__in={r.subject_id for r in rows}
        )
    }
    allowed = {pk: access.can_score_subject(user, s) for pk, s in subjects.items()}
    indicators = list(Indicator.objects.filter(scheme=scheme).select_related("component"))
    enterable = Enterable(user, scheme)
    by_id = {i.pk: i for i in indicators}
    by_code = {i.code: i for i in indicators}
    plan: dict[Subject, list] = defaultdict(list)
    seen, errors = set(), []
    for number, row in enumerate(rows):
        subject = subjects.get(row.subject_id) if allowed.get(row.subject_id) else None
        if subject is None:
            errors.append(_err(number, "subject_id", "考核对象不存在或无权评分。"))
            continue
        indicator = (
            by_id.get(row.indicator_id)
            if row.indicator_id
            else by_code.get(row.indicator_code or "")
        )
        if indicator is None:
            errors.append(
                _err(number, "indicator", "指标不存在（indicator_id 或 indicator_code）。")
            )
            continue
        refusal = enterable.refusal(subject, indicator)
        if refusal:
            errors.append(_err(number, "indicator", refusal, "not_enterable"))
            continue
        if (subject.pk, indicator.pk) in seen:
            errors.append(_err(number, "indicator", "同一考核对象的同一指标重复出现。"))
            continue
        seen.add((subject.pk, indicator.pk))
        change = ScoreChange(indicator, row.value, row.note, row.version)
        plan[subject].append((number, change))
    return plan, errors


def _err(row: int, field: str, message: str, code: str = "invalid") -> dict:
    return {"row": row, "field": field, "code": code, "message": message}


def _save_subject(user, subject, rows, override_reason: str) -> list[dict]:
    """Save one subject's rows through the service in a savepoint; its refusals → row errors."""
    try:
        with transaction.atomic():
            scores_save(
                subject=subject,
                changes=[change for _, change in rows],
                actor=user,
                source=SOURCE,
                override_reason=override_reason,
                batch=True,
            )
    except ValidationError as exc:  # ScoreConflict included
        return _row_problems(rows, exc)
    return []


def _row_problems(rows, exc: ValidationError) -> list[dict]:
    """Each refusal names its indicator: give it to that row (one without an indicator, such
    as a concurrent insert of the whole batch, to every row of the subject)."""
    by_indicator = {change.indicator.pk: number for number, change in rows}
    errors = []
    for problem in score_errors(exc):
        number = by_indicator.get(problem.indicator_id)
        field = problem.field or ("version" if isinstance(exc, ScoreConflict) else "value")
        for n in [number] if number is not None else [n for n, _ in rows]:
            errors.append(_err(n, field, problem.message, problem.code))
    return errors
