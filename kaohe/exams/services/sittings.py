"""Sittings: opened from an on-site draw's result, paper drawn verifiably, opened, closed."""

from __future__ import annotations

import hashlib
import json
import secrets
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kaohe.audit.services import audit_record
from kaohe.onsite.choices import DrawStatus
from kaohe.onsite.draw_engine import canonical_json
from kaohe.onsite.services.draws import draw_selected, generate_seed

from .. import audit_actions as actions
from .. import paper_engine as engine
from ..choices import (
    ExamineeStatus,
    ExamKind,
    QuestionStatus,
    SeedSource,
    SittingMode,
    SittingStatus,
)
from ..models import Examinee, Question, Sitting
from .exams import rule_of

# Crockford's base32 without I, L, O, U: 10 characters = 50 bits (2^50 ≈ 1.1 × 10^15 codes).
CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 10


def new_code() -> str:
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        if not Examinee.objects.filter(code=code).exists():
            return code


def recent_counts(sitting_subject, exam, window: int) -> dict[str, int]:
    """How many of the unit's last `window` sittings with this bank had each question."""
    if window <= 0:
        return {}
    papers = (
        Sitting.objects.filter(subject__unit_id=sitting_subject.unit_id, exam__bank_id=exam.bank_id)
        .exclude(status__in=[SittingStatus.CANCELLED, SittingStatus.PREPARED])
        .order_by("-drawn_at", "-id")
        .values_list("paper_json", flat=True)[:window]
    )
    counts: dict[str, int] = {}
    for paper in papers:
        for item in json.loads(paper or "[]"):
            counts[item["key"]] = counts.get(item["key"], 0) + 1
    return counts


def population_of(exam, subject) -> list[dict]:
    recent = recent_counts(subject, exam, exam.recent_window)
    questions = Question.objects.filter(
        bank=exam.bank, status=QuestionStatus.ACTIVE
    ).prefetch_related("topics")
    return engine.normalise_population(
        [
            {
                "key": engine.question_key(q.pk),
                "type": q.qtype,
                "topics": [t.name for t in q.topics.all()],
                "difficulty": q.difficulty,
                "recent": recent.get(engine.question_key(q.pk), 0),
            }
            for q in questions
        ]
    )


@transaction.atomic
def sitting_create(*, exam, draw, mode: str, actor=None) -> Sitting:
    """Fix the question population and rule for the people of a finished draw."""
    if draw.status != DrawStatus.DONE:
        raise ValidationError(_("只能对已完成的人员抽取开考。"))
    if draw.scheme_id != exam.scheme_id:
        raise ValidationError(_("抽取记录与测试不属于同一考核方案。"))
    if mode not in SittingMode.values or (mode == SittingMode.ORAL) != (exam.kind == ExamKind.ORAL):
        raise ValidationError(_("现场提问测试用“现场提问”方式，笔试用“手机作答”或“纸质试卷”。"))
    people = draw_selected(draw)
    if not people:
        raise ValidationError(_("抽取结果中没有人员。"))
    population = population_of(exam, draw.subject)
    try:
        rule = engine.normalise_rule(rule_of(exam))
    except engine.PaperError as exc:
        raise ValidationError(str(exc)) from None
    short = engine.shortages(population, rule)
    if short:
        raise ValidationError([_("题库试题不足，无法组卷："), *short])
    population_json = canonical_json(population)
    sitting = Sitting.objects.create(
        exam=exam,
        subject=draw.subject,
        draw=draw,
        mode=mode,
        population_json=population_json,
        rule_json=canonical_json(rule),
        population_sha256=hashlib.sha256(population_json.encode()).hexdigest(),
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    Examinee.objects.bulk_create(
        [
            Examinee(
                sitting=sitting,
                person_key=m["key"],
                name=m["label"],
                stratum=m.get("stratum", ""),
                seat=seat,
                code=new_code(),
                version="AB"[(seat - 1) % 2],
            )
            for seat, m in enumerate(people, start=1)
        ]
    )
    audit_record(
        action=actions.SITTING_CREATE,
        actor=actor,
        obj=sitting,
        scheme_id=exam.scheme_id,
        after={
            "draw": draw.pk,
            "people": [m["key"] for m in people],
            "population_size": len(population),
            "population_sha256": sitting.population_sha256,
            "rule": rule,
        },
    )
    return sitting


def _layout_for(
    sitting: Sitting, examinee: Examinee, paper: list[dict], counts: dict
) -> list[dict]:
    variant = examinee.version if sitting.mode == SittingMode.PAPER else examinee.person_key
    return engine.layout(
        sitting.digest,
        paper,
        variant,
        shuffle_questions=sitting.exam.shuffle_questions,
        shuffle_options=sitting.exam.shuffle_options,
        option_counts=counts,
    )


@transaction.atomic
def sitting_draw_paper(*, sitting: Sitting, seed: str | None = None, actor=None) -> Sitting:
    """Announce the seed (typed on site or generated) and draw the paper at once."""
    sitting = Sitting.objects.select_for_update().select_related("exam").get(pk=sitting.pk)
    if sitting.status != SittingStatus.PREPARED:
        raise ValidationError(_("试题已经抽取，不能重抽；如需重抽请作废本场次后重新创建。"))
    source = SeedSource.TYPED if seed not in (None, "") else SeedSource.GENERATED
    seed = seed if source == SeedSource.TYPED else generate_seed()
    try:
        outcome = engine.run_paper(
            json.loads(sitting.population_json), json.loads(sitting.rule_json), seed
        )
    except engine.PaperError as exc:
        raise ValidationError(str(exc)) from None
    sitting.seed, sitting.seed_source = seed.strip(), source
    sitting.digest = outcome.digest
    sitting.paper_json = canonical_json(list(outcome.paper))
    sitting.full_marks = outcome.full_marks
    sitting.drawn_at = timezone.now()
    sitting.status = SittingStatus.DRAWN
    sitting.save()
    counts = {
        engine.question_key(pk): len(options)
        for pk, options in Question.objects.filter(
            pk__in=[engine.key_pk(p["key"]) for p in outcome.paper]
        ).values_list("pk", "options")
    }
    examinees = list(sitting.examinees.all())
    for examinee in examinees:
        examinee.layout = _layout_for(sitting, examinee, list(outcome.paper), counts)
    Examinee.objects.bulk_update(examinees, ["layout"])
    audit_record(
        action=actions.SITTING_DRAW,
        actor=actor,
        obj=sitting,
        scheme_id=sitting.exam.scheme_id,
        after={
            "seed": sitting.seed,
            "digest": outcome.digest,
            "paper": [p["key"] for p in outcome.paper],
        },
    )
    return sitting


@transaction.atomic
def sitting_open(*, sitting: Sitting, actor=None) -> Sitting:
    sitting = Sitting.objects.select_for_update().get(pk=sitting.pk)
    if sitting.status != SittingStatus.DRAWN:
        raise ValidationError(_("只能对已抽取试题、尚未开考的场次开考。"))
    sitting.status, sitting.opened_at = SittingStatus.OPEN, timezone.now()
    sitting.save(update_fields=["status", "opened_at", "updated_at"])
    audit_record(
        action=actions.SITTING_OPEN, actor=actor, obj=sitting, scheme_id=sitting.subject.scheme_id
    )
    return sitting


@transaction.atomic
def sitting_cancel(*, sitting: Sitting, reason: str, actor=None) -> Sitting:
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("作废须填写原因。"))
    if sitting.status in (SittingStatus.MARKED, SittingStatus.CANCELLED):
        raise ValidationError(_("已评分或已作废的场次不能作废。"))
    sitting.status = SittingStatus.CANCELLED
    sitting.save(update_fields=["status", "updated_at"])
    Examinee.objects.filter(sitting=sitting).exclude(status=ExamineeStatus.SUBMITTED).update(
        status=ExamineeStatus.ABSENT
    )
    audit_record(
        action=actions.SITTING_CANCEL,
        actor=actor,
        obj=sitting,
        scheme_id=sitting.subject.scheme_id,
        message=reason,
    )
    return sitting


@transaction.atomic
def examinee_reissue_code(*, examinee: Examinee, actor=None) -> Examinee:
    """A lost slip: a new code; the old one stops working at once."""
    if examinee.status in (ExamineeStatus.SUBMITTED, ExamineeStatus.ABSENT):
        raise ValidationError(_("已交卷或缺考的考生不能补发验证码。"))
    examinee.code = new_code()
    examinee.save(update_fields=["code", "updated_at"])
    audit_record(
        action=actions.CODE_REISSUE,
        actor=actor,
        obj=examinee,
        scheme_id=examinee.sitting.subject.scheme_id,
    )
    return examinee


@dataclass
class Verification:
    ok: bool
    checks: list[tuple[str, bool]] = field(default_factory=list)
    digest: str = ""
    paper: tuple[str, ...] = ()


def sitting_verify(sitting: Sitting) -> Verification:
    """Recompute the paper from the recorded population, rule and seed; compare with the
    row and with the hash-chained audit events written when it was created and drawn."""
    from kaohe.audit.models import AuditEvent
    from kaohe.audit.services import event_hash

    report = Verification(ok=False)
    if not sitting.digest:
        report.checks.append((_("本场次尚未抽取试题，无结果可核验"), False))
        return report
    sha = hashlib.sha256(sitting.population_json.encode()).hexdigest()
    report.checks.append((_("题目范围摘要与创建时记录一致"), sha == sitting.population_sha256))
    try:
        outcome = engine.run_paper(
            json.loads(sitting.population_json), json.loads(sitting.rule_json), sitting.seed
        )
    except engine.PaperError as exc:
        report.checks.append((_("重新计算失败：%(error)s") % {"error": exc}, False))
        return report
    recorded = tuple(p["key"] for p in json.loads(sitting.paper_json))
    report.digest, report.paper = outcome.digest, tuple(p["key"] for p in outcome.paper)
    report.checks.append((_("组卷摘要（SHA-256）一致"), outcome.digest == sitting.digest))
    report.checks.append((_("重新抽取的试题与记录一致"), report.paper == recorded))
    events = {
        e.action: e
        for e in AuditEvent.objects.filter(
            object_type="exams.sitting", object_id=str(sitting.pk)
        ).filter(action__in=[actions.SITTING_CREATE, actions.SITTING_DRAW])
    }
    if events:
        after = {a: json.loads(e.after or "{}") for a, e in events.items()}
        report.checks.append(
            (_("审计记录自身哈希完整"), all(event_hash(e) == e.hash for e in events.values()))
        )
        report.checks.append(
            (
                _("题目范围摘要与创建时的审计记录一致"),
                after.get(actions.SITTING_CREATE, {}).get("population_sha256")
                == sitting.population_sha256,
            )
        )
        drawn = after.get(actions.SITTING_DRAW, {})
        report.checks.append(
            (
                _("种子、摘要和试题与组卷时的审计记录一致"),
                drawn.get("seed") == sitting.seed
                and drawn.get("digest") == sitting.digest
                and tuple(drawn.get("paper") or ()) == recorded,
            )
        )
    report.ok = all(ok for _text, ok in report.checks)
    return report


def paper_items(sitting: Sitting) -> list[dict]:
    return json.loads(sitting.paper_json or "[]")


def points_by_key(sitting: Sitting) -> dict[str, Decimal]:
    return {p["key"]: Decimal(p["points"]) for p in paper_items(sitting)}
