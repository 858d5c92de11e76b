"""Marking: objective answers at once, short answers by a team member (blind), the oral rubric,
and the sitting's result written to the leaf indicator through the score service."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from kaohe.audit.services import audit_record

from .. import audit_actions as actions
from .. import marking as rules
from ..choices import ExamineeStatus, MultiplePolicy, SittingMode, SittingStatus, SubmitReason
from ..models import Answer, Examinee, OralRating, Question, ShortMark, Sitting
from ..paper_engine import key_pk
from .scores import leaf_score_save


def _points(sitting: Sitting) -> dict[int, Decimal]:
    from .sittings import paper_items

    return {key_pk(p["key"]): Decimal(p["points"]) for p in paper_items(sitting)}


def _rescore(examinee: Examinee, points: dict[int, Decimal]) -> None:
    """Score = sum of marked answers; pending = short answers not yet marked."""
    if examinee.sitting.mode == SittingMode.ORAL:
        return
    marks = dict(examinee.answers.values_list("question_id", "points"))
    shorts = set(Question.objects.filter(pk__in=points, qtype="short").values_list("pk", flat=True))
    examinee.pending_marks = sum(1 for pk in shorts if marks.get(pk) is None)
    examinee.score = sum((v for v in marks.values() if v is not None), Decimal("0"))
    examinee.save(update_fields=["pending_marks", "score", "updated_at"])


def examinee_mark_objective(*, examinee: Examinee) -> None:
    """Mark every objective question on the paper (unanswered ones get 0)."""
    sitting = examinee.sitting
    points = _points(sitting)
    partial = sitting.exam.multiple_policy == MultiplePolicy.PARTIAL
    answers = {a.question_id: a for a in examinee.answers.all()}
    now = timezone.now()
    for question in Question.objects.filter(pk__in=points).exclude(qtype="short"):
        answer = answers.get(question.pk)
        if answer is None:
            answer = Answer(
                examinee=examinee, question=question, response="", saved_at=now, saves=0
            )
        answer.points = rules.mark_objective(
            question.qtype, question.answer, answer.response, points[question.pk], partial=partial
        )
        answer.marked_at = now
        answer.save()
    for question_id in Question.objects.filter(pk__in=points, qtype="short").values_list(
        "pk", flat=True
    ):
        if question_id not in answers:
            Answer.objects.create(
                examinee=examinee, question_id=question_id, response="", saved_at=now, saves=0
            )
    _rescore(examinee, points)


def parse_mark(value, top: Decimal) -> Decimal:
    try:
        mark = Decimal(str(value).strip())
    except InvalidOperation:
        raise ValidationError(_("分数“%(value)s”不是数字。") % {"value": value}) from None
    if not mark.is_finite() or mark < 0 or mark > top:
        raise ValidationError(_("分数须在 0 到 %(top)s 之间。") % {"top": top})
    return rules.q2(mark)


@transaction.atomic
def answer_mark(*, answer: Answer, points, note: str = "", actor=None) -> Answer:
    """A team member marks a short answer (or corrects any mark); re-marking a scored sitting
    updates the leaf score at once, both audited."""
    answer = (
        Answer.objects.select_for_update()
        .select_related("examinee__sitting__exam", "question")
        .get(pk=answer.pk)
    )
    examinee, sitting = answer.examinee, answer.examinee.sitting
    if examinee.status != ExamineeStatus.SUBMITTED or sitting.status not in (
        SittingStatus.CLOSED,
        SittingStatus.MARKED,
    ):
        raise ValidationError(_("收卷后才能评分。"))
    top = _points(sitting).get(answer.question_id)
    if top is None:
        raise ValidationError(_("该题不在试卷上。"))
    before = None if answer.points is None else str(answer.points)
    mark = parse_mark(points, top)
    answer.mark_note, answer.marked_by, answer.marked_at = note.strip()[:255], actor, timezone.now()
    answer.points = mark
    if sitting.exam.double_marking and answer.question.qtype == "short":
        answer.points = _double(answer, actor, mark, top)
    answer.save(update_fields=["points", "mark_note", "marked_by", "marked_at"])
    _rescore(examinee, _points(sitting))
    audit_record(
        action=actions.ANSWER_MARK,
        actor=actor,
        obj=answer,
        scheme_id=sitting.exam.scheme_id,
        before={"points": before},
        after={"points": str(answer.points), "mark": str(mark), "examinee": examinee.blind_label},
    )
    if sitting.status == SittingStatus.MARKED:
        sitting_score(sitting=sitting, actor=actor)
    return answer


def _double(answer: Answer, actor, mark: Decimal, top: Decimal) -> Decimal | None:
    """Record this marker's mark (a marker who marks again replaces their own)."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        raise ValidationError(_("双评须由考核组成员登录后评分。"))
    ShortMark.objects.update_or_create(
        answer=answer,
        marker=actor,
        defaults={"points": mark, "note": answer.mark_note, "marked_at": answer.marked_at},
    )
    marks = list(answer.marks.order_by("marked_at", "id").values_list("points", flat=True))
    return rules.double_mark(marks, top, answer.examinee.sitting.exam.double_gap)


@transaction.atomic
def sitting_close(*, sitting: Sitting, actor=None) -> Sitting:
    """Collect every paper: started ones are submitted, people who never entered are absent."""
    from .attempts import examinee_submit

    sitting = Sitting.objects.select_for_update().get(pk=sitting.pk)
    if sitting.status not in (SittingStatus.OPEN, SittingStatus.DRAWN):
        raise ValidationError(_("只能对已抽题或考试中的场次收卷。"))
    for examinee in sitting.examinees.filter(status=ExamineeStatus.STARTED):
        examinee_submit(examinee=examinee, reason=SubmitReason.CLOSED, actor=actor)
    if sitting.mode != SittingMode.PAPER:
        sitting.examinees.filter(status=ExamineeStatus.WAITING).update(
            status=ExamineeStatus.ABSENT, score=Decimal("0")
        )
    sitting.status, sitting.closed_at = SittingStatus.CLOSED, timezone.now()
    sitting.save(update_fields=["status", "closed_at", "updated_at"])
    audit_record(
        action=actions.SITTING_CLOSE, actor=actor, obj=sitting, scheme_id=sitting.exam.scheme_id
    )
    return sitting


def _oral_scores(sitting: Sitting) -> None:
    for examinee in sitting.examinees.prefetch_related("ratings"):
        totals = [r.total for r in examinee.ratings.all()]
        if totals:
            examinee.score = rules.mean(totals)
            examinee.save(update_fields=["score", "updated_at"])


def _score_note(sitting, result: Decimal, people: int, full: Decimal) -> str:
    """The score's note is stored (and read in the trace) in Chinese, whoever computed it."""
    with translation.override(settings.LANGUAGE_CODE):
        formula = str(sitting.exam.get_unit_formula_display())
    return (
        f"依法行政能力测试 场次 #{sitting.pk}（{formula} "
        f"{rules.q2(result)}%，{people} 人，满分 {full}）"
    )


@transaction.atomic
def sitting_score(*, sitting: Sitting, actor=None) -> Decimal:
    """The unit's result (average of sitters, or pass rate) → the leaf, source "exam".

    Absent people count as 0: a drawn person who does not sit cannot raise the unit's result.
    """
    sitting = (
        Sitting.objects.select_for_update()
        .select_related("exam__indicator", "subject")
        .get(pk=sitting.pk)
    )
    exam = sitting.exam
    if sitting.status not in (SittingStatus.CLOSED, SittingStatus.MARKED):
        raise ValidationError(_("收卷（现场提问结束）后才能计算单位成绩。"))
    if sitting.mode == SittingMode.ORAL:
        _oral_scores(sitting)
        if (
            sitting.examinees.exclude(status=ExamineeStatus.ABSENT)
            .filter(ratings__isnull=True)
            .exists()
        ):
            raise ValidationError(_("还有受测领导没有评分。"))
    elif sitting.examinees.filter(status=ExamineeStatus.SUBMITTED, pending_marks__gt=0).exists():
        raise ValidationError(_("还有简答题没有评分。"))
    if sitting.examinees.exclude(
        status__in=[ExamineeStatus.SUBMITTED, ExamineeStatus.ABSENT]
    ).exists() and (sitting.mode != SittingMode.ORAL):
        raise ValidationError(_("还有考生没有交卷（纸质试卷须先录入答案）。"))
    scores = [e.score or Decimal("0") for e in sitting.examinees.all()]
    full = sitting.full_marks if sitting.mode != SittingMode.ORAL else oral_full(exam)
    result = rules.unit_result(scores, full, exam.unit_formula, exam.pass_percent)
    value = rules.leaf_value(result, exam.indicator.max_score)
    before = None if sitting.result_percent is None else str(sitting.result_percent)
    sitting.result_percent = result.quantize(Decimal("0.0001"))
    sitting.status = SittingStatus.MARKED
    sitting.save(update_fields=["result_percent", "status", "updated_at"])
    note = _score_note(sitting, result, len(scores), full)
    leaf_score_save(
        subject=sitting.subject, indicator=exam.indicator, value=value, note=note, actor=actor
    )
    audit_record(
        action=actions.SITTING_SCORE,
        actor=actor,
        obj=sitting,
        scheme_id=exam.scheme_id,
        before={"result_percent": before},
        after={
            "result_percent": str(sitting.result_percent),
            "leaf": exam.indicator.code,
            "value": str(value),
        },
    )
    return value


def oral_full(exam) -> Decimal:
    return sum((Decimal(c["weight"]) for c in exam.criteria), Decimal("0"))


@transaction.atomic
def oral_rate(
    *, examinee: Examinee, marker, scores: dict, note: str = "", actor=None
) -> OralRating:
    """One team member's rubric for one leader; the leader's score is the markers' average."""
    sitting = Sitting.objects.select_related("exam").get(pk=examinee.sitting_id)
    if sitting.mode != SittingMode.ORAL or sitting.status not in (
        SittingStatus.DRAWN,
        SittingStatus.OPEN,
        SittingStatus.CLOSED,
        SittingStatus.MARKED,
    ):
        raise ValidationError(_("只能在已抽题的现场提问场次评分。"))
    try:
        total = rules.oral_total(scores, sitting.exam.criteria)
    except (ValueError, InvalidOperation) as exc:
        raise ValidationError(str(exc)) from None
    clean = {
        c["name"]: str(Decimal(str(scores.get(c["name"], "0")))) for c in sitting.exam.criteria
    }
    rating, _created = OralRating.objects.update_or_create(
        examinee=examinee,
        marker=marker,
        defaults={"scores": clean, "total": total, "note": note.strip()[:255]},
    )
    if examinee.status == ExamineeStatus.WAITING:
        examinee.status, examinee.submitted_at = ExamineeStatus.SUBMITTED, timezone.now()
        examinee.submit_reason = SubmitReason.CLOSED
        examinee.save(update_fields=["status", "submitted_at", "submit_reason", "updated_at"])
    _oral_scores(sitting)
    audit_record(
        action=actions.ORAL_RATE,
        actor=actor,
        obj=rating,
        scheme_id=sitting.exam.scheme_id,
        after={"scores": clean, "total": str(total)},
    )
    if sitting.status == SittingStatus.MARKED:
        sitting_score(sitting=sitting, actor=actor)
    return rating


@transaction.atomic
def paper_answers_save(*, examinee: Examinee, responses: dict[str, object], actor=None) -> Examinee:
    """A paper sitting: the answers written on paper are typed in, then marked by the same rules."""
    from .attempts import _clean_response

    examinee = (
        Examinee.objects.select_for_update().select_related("sitting__exam").get(pk=examinee.pk)
    )
    sitting = examinee.sitting
    if sitting.mode != SittingMode.PAPER or examinee.status == ExamineeStatus.SUBMITTED:
        raise ValidationError(_("只能为尚未录入的纸质答卷录入答案。"))
    if sitting.status not in (SittingStatus.DRAWN, SittingStatus.OPEN, SittingStatus.CLOSED):
        raise ValidationError(_("本场次不能录入答案。"))
    layout = {item["q"]: item for item in examinee.layout}
    questions = {q.pk: q for q in Question.objects.filter(pk__in=[key_pk(k) for k in layout])}
    now = timezone.now()
    for key, raw in responses.items():
        if key not in layout:
            raise ValidationError(_("答案中有不在该试卷上的题目。"))
        question = questions[key_pk(key)]
        Answer.objects.update_or_create(
            examinee=examinee,
            question=question,
            defaults={
                "response": _clean_response(question.qtype, raw, len(layout[key]["opts"])),
                "saved_at": now,
            },
        )
    examinee.status, examinee.started_at = ExamineeStatus.SUBMITTED, examinee.started_at or now
    examinee.submitted_at, examinee.submit_reason = now, SubmitReason.PAPER
    examinee.save(
        update_fields=["status", "started_at", "submitted_at", "submit_reason", "updated_at"]
    )
    examinee_mark_objective(examinee=examinee)
    audit_record(
        action=actions.PAPER_ANSWERS,
        actor=actor,
        obj=examinee,
        scheme_id=sitting.exam.scheme_id,
        after={"answers": len(responses)},
    )
    return examinee


@transaction.atomic
def examinee_mark_absent(*, examinee: Examinee, actor=None) -> Examinee:
    """A drawn person who did not sit (paper or oral sitting): 0 in the unit's result."""
    examinee = (
        Examinee.objects.select_for_update().select_related("sitting__exam").get(pk=examinee.pk)
    )
    if examinee.status != ExamineeStatus.WAITING:
        raise ValidationError(_("只有尚未作答的考生可以记为缺考。"))
    if examinee.sitting.status in (SittingStatus.MARKED, SittingStatus.CANCELLED):
        raise ValidationError(_("本场次已评分或已作废。"))
    examinee.status, examinee.score = ExamineeStatus.ABSENT, Decimal("0")
    examinee.save(update_fields=["status", "score", "updated_at"])
    audit_record(
        action=actions.EXAMINEE_ABSENT,
        actor=actor,
        obj=examinee,
        scheme_id=examinee.sitting.exam.scheme_id,
    )
    return examinee
