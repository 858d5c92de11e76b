"""Question banks: create, edit questions, import a file all or nothing."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from kaohe.audit.services import audit_record

from .. import audit_actions as actions
from ..choices import QuestionType
from ..importing import QuestionSpec
from ..models import Question, QuestionBank, Topic


@transaction.atomic
def bank_create(*, owner_unit, name: str, description: str = "", actor=None) -> QuestionBank:
    name = name.strip()
    if not name:
        raise ValidationError(_("请填写题库名称。"))
    if QuestionBank.objects.filter(owner_unit=owner_unit, name=name).exists():
        raise ValidationError(_("题库“%(name)s”已存在。") % {"name": name})
    bank = QuestionBank.objects.create(
        owner_unit=owner_unit, name=name[:64], description=description[:255]
    )
    audit_record(action=actions.BANK_CREATE, actor=actor, obj=bank, after={"name": bank.name})
    return bank


def topics_for(names: list[str]) -> list[Topic]:
    out = []
    for name in names:
        name = name.strip()[:64]
        if name:
            out.append(Topic.objects.get_or_create(name=name)[0])
    return out


def _snapshot(question: Question) -> dict:
    return {
        "qtype": question.qtype,
        "stem": question.stem,
        "options": question.options,
        "answer": question.answer,
        "difficulty": question.difficulty,
        "status": question.status,
        "topics": sorted(t.name for t in question.topics.all()) if question.pk else [],
    }


def _apply(question: Question, spec: QuestionSpec) -> None:
    question.qtype = spec.qtype
    question.stem = spec.stem
    question.options = spec.options
    question.answer = spec.answer
    question.reference_answer = spec.reference_answer
    question.marking_points = spec.marking_points
    question.explanation = spec.explanation
    question.difficulty = spec.difficulty
    question.status = spec.status
    question.fingerprint = spec.fingerprint


def _check_duplicate(bank: QuestionBank, spec: QuestionSpec, exclude: int | None = None) -> None:
    qs = Question.objects.filter(bank=bank, fingerprint=spec.fingerprint)
    if exclude:
        qs = qs.exclude(pk=exclude)
    if qs.exists():
        raise ValidationError(_("题库中已有题型和题干相同的试题。"))


@transaction.atomic
def question_create(*, bank: QuestionBank, spec: QuestionSpec, actor=None) -> Question:
    _check_duplicate(bank, spec)
    question = Question(bank=bank)
    _apply(question, spec)
    question.save()
    question.topics.set(topics_for(spec.topics))
    audit_record(
        action=actions.QUESTION_CREATE, actor=actor, obj=question, after=_snapshot(question)
    )
    return question


@transaction.atomic
def question_update(*, question: Question, spec: QuestionSpec, actor=None) -> Question:
    """Edit a question. Papers already drawn keep their own copy of what was asked (answers
    point at the question, so a changed answer key changes marking only when re-marked)."""
    _check_duplicate(question.bank, spec, exclude=question.pk)
    before = _snapshot(question)
    _apply(question, spec)
    question.save()
    question.topics.set(topics_for(spec.topics))
    audit_record(
        action=actions.QUESTION_UPDATE,
        actor=actor,
        obj=question,
        before=before,
        after=_snapshot(question),
    )
    return question


@dataclass
class ImportSummary:
    total: int
    by_type: Counter
    by_topic: Counter

    def lines(self) -> list[str]:
        out = [_("共 %(n)s 道试题") % {"n": self.total}]
        for code, label in QuestionType.choices:
            if self.by_type.get(code):
                out.append(_("%(label)s：%(n)s") % {"label": label, "n": self.by_type[code]})
        out.append(_("按专题："))
        for topic, count in sorted(self.by_topic.items()):
            out.append(_("%(label)s：%(n)s") % {"label": topic or _("（未分专题）"), "n": count})
        return out


def summarise(specs: list[QuestionSpec]) -> ImportSummary:
    by_topic: Counter = Counter()
    for spec in specs:
        for topic in spec.topics or [""]:
            by_topic[topic] += 1
    return ImportSummary(len(specs), Counter(s.qtype for s in specs), by_topic)


def duplicates_in_bank(bank: QuestionBank, specs: list[QuestionSpec]) -> list[str]:
    existing = set(
        Question.objects.filter(
            bank=bank, fingerprint__in=[s.fingerprint for s in specs]
        ).values_list("fingerprint", flat=True)
    )
    return [
        _("%(where)s：题库“%(bank)s”中已有相同的试题。") % {"where": s.where, "bank": bank.name}
        for s in specs
        if s.fingerprint in existing
    ]


@transaction.atomic
def questions_import(
    *, bank: QuestionBank, specs: list[QuestionSpec], file_name: str = "", actor=None
):
    """Write every question or none; duplicates of the bank are refused, named by row."""
    problems = duplicates_in_bank(bank, specs)
    if problems:
        raise ValidationError(problems)
    topics = {t.name: t for t in topics_for(sorted({n for s in specs for n in s.topics}))}
    questions = []
    for spec in specs:
        question = Question(bank=bank)
        _apply(question, spec)
        questions.append(question)
    try:
        with transaction.atomic():
            created = Question.objects.bulk_create(questions, batch_size=500)
    except IntegrityError as exc:
        raise ValidationError(_("导入时发现重复试题，请重试。")) from exc
    if not all(q.pk for q in created):  # backends that return no ids (none of ours today)
        created = list(
            Question.objects.filter(bank=bank, fingerprint__in=[s.fingerprint for s in specs])
        )
        created.sort(key=lambda q: [s.fingerprint for s in specs].index(q.fingerprint))
    links = [
        Question.topics.through(question_id=q.pk, topic_id=topics[name[:64]].pk)
        for q, s in zip(created, specs, strict=True)
        for name in dict.fromkeys(n.strip()[:64] for n in s.topics if n.strip())
    ]
    Question.topics.through.objects.bulk_create(links, batch_size=1000)
    summary = summarise(specs)
    audit_record(
        action=actions.QUESTION_IMPORT,
        actor=actor,
        obj=bank,
        after={"file": file_name, "count": summary.total, "by_type": dict(summary.by_type)},
    )
    return summary
