"""Questionnaires: create, edit questions, copy from last year, import from .xlsx."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kaohe.audit.services import audit_record
from kaohe.common.services import model_update
from kaohe.common.text import join_list

from .. import audit_actions as actions
from ..choices import TEXT_HARD_LIMIT, TEXT_MAX_LENGTH, QuestionKind
from ..models import Answer, Choice, Question, Questionnaire, Section
from .common import require_office


@dataclass
class QuestionSpec:
    """A question as typed in a form or read from a sheet, before it is saved."""

    kind: str
    text: str
    required: bool = True
    section: str = ""
    choices: list[tuple[str, Decimal | None]] = field(default_factory=list)
    max_length: int = TEXT_MAX_LENGTH


def check_question(spec: QuestionSpec) -> list[str]:
    """What is wrong with a question (empty when it can be saved)."""
    problems = []
    if spec.kind not in QuestionKind.values:
        problems.append(_("题型“%(kind)s”无效。") % {"kind": spec.kind})
        return problems
    if not spec.text.strip():
        problems.append(_("题目不能为空。"))
    if len(spec.text) > 255:
        problems.append(_("题目超过 255 字。"))
    if spec.kind == QuestionKind.TEXT:
        if not 1 <= spec.max_length <= TEXT_HARD_LIMIT:
            problems.append(_("填空题最多字数须在 1 到 %(n)s 之间。") % {"n": TEXT_HARD_LIMIT})
        return problems
    labels = [label for label, _points in spec.choices]
    if len(labels) < 2:
        problems.append(_("选择题和评分题至少需要两个选项。"))
    if len(set(labels)) != len(labels):
        problems.append(_("选项不能重复。"))
    if spec.kind == QuestionKind.RATING:
        missing = [label for label, points in spec.choices if points is None]
        if missing:
            problems.append(
                _("满意度评分题的每个选项都必须有分值（缺：%(labels)s）。")
                % {"labels": join_list(missing)}
            )
        elif any(points < 0 for _label, points in spec.choices):
            problems.append(_("分值不能为负数。"))
    return problems


def _has_answers(questionnaire: Questionnaire) -> bool:
    return Answer.objects.filter(question__questionnaire=questionnaire).exists()


def check_editable(questionnaire: Questionnaire) -> None:
    if _has_answers(questionnaire):
        raise ValidationError(_("该问卷已有答卷，题目和分值不能再修改；如需调整请复制为新问卷。"))


def _section(questionnaire: Questionnaire, title: str) -> Section | None:
    title = title.strip()
    if not title:
        return None
    section = questionnaire.sections.filter(title=title).first()
    if section is None:
        order = questionnaire.sections.count()
        section = Section.objects.create(questionnaire=questionnaire, title=title, order=order)
    return section


def _write_question(questionnaire, spec: QuestionSpec, question: Question | None, order: int):
    question = question or Question(questionnaire=questionnaire, order=order)
    question.kind, question.text = spec.kind, spec.text.strip()
    question.required, question.max_length = spec.required, spec.max_length
    question.section = _section(questionnaire, spec.section)
    question.save()
    question.choices.all().delete()
    if spec.kind != QuestionKind.TEXT:
        Choice.objects.bulk_create(
            Choice(question=question, label=label.strip(), points=points, order=index)
            for index, (label, points) in enumerate(spec.choices)
        )
    return question


@transaction.atomic
def questionnaire_create(
    *, scheme, title: str, kind: str, actor, intro: str = "", thanks: str = ""
) -> Questionnaire:
    require_office(actor, scheme)
    questionnaire = Questionnaire(scheme=scheme, title=title, kind=kind, intro=intro, thanks=thanks)
    questionnaire.full_clean()
    questionnaire.save()
    audit_record(
        action=actions.QUESTIONNAIRE_CREATE,
        actor=actor,
        obj=questionnaire,
        scheme_id=scheme.pk,
        after={"title": title, "kind": kind},
    )
    return questionnaire


@transaction.atomic
def questionnaire_update(*, questionnaire: Questionnaire, data: dict, actor) -> Questionnaire:
    require_office(actor, questionnaire.scheme)
    questionnaire, changes = model_update(
        instance=questionnaire, fields=["title", "kind", "intro", "thanks"], data=data
    )
    if changes:
        audit_record(
            action=actions.QUESTIONNAIRE_UPDATE,
            actor=actor,
            obj=questionnaire,
            scheme_id=questionnaire.scheme_id,
            before={k: v[0] for k, v in changes.items()},
            after={k: v[1] for k, v in changes.items()},
        )
    return questionnaire


@transaction.atomic
def question_save(
    *, questionnaire: Questionnaire, spec: QuestionSpec, actor, question: Question | None = None
) -> Question:
    """Add a question, or replace one (its options too); refused once answers exist."""
    require_office(actor, questionnaire.scheme)
    check_editable(questionnaire)
    if question is not None and question.questionnaire_id != questionnaire.pk:
        raise ValidationError(_("题目不属于该问卷。"))
    problems = check_question(spec)
    if problems:
        raise ValidationError(problems)
    order = question.order if question else questionnaire.questions.count() + 1
    saved = _write_question(questionnaire, spec, question, order)
    audit_record(
        action=actions.QUESTION_SAVE,
        actor=actor,
        obj=saved,
        scheme_id=questionnaire.scheme_id,
        after={"kind": spec.kind, "text": spec.text, "choices": spec.choices},
    )
    return saved


@transaction.atomic
def question_delete(*, question: Question, actor) -> None:
    questionnaire = question.questionnaire
    require_office(actor, questionnaire.scheme)
    check_editable(questionnaire)
    audit_record(
        action=actions.QUESTION_DELETE,
        actor=actor,
        obj=question,
        scheme_id=questionnaire.scheme_id,
        before={"text": question.text},
    )
    question.delete()


@transaction.atomic
def question_move(*, question: Question, up: bool, actor) -> None:
    """Swap a question with its neighbour (order only; allowed after answers exist)."""
    questionnaire = question.questionnaire
    require_office(actor, questionnaire.scheme)
    ordered = list(questionnaire.questions.order_by("order", "id"))
    index = next(i for i, q in enumerate(ordered) if q.pk == question.pk)
    other = index - 1 if up else index + 1
    if not 0 <= other < len(ordered):
        return
    ordered[index], ordered[other] = ordered[other], ordered[index]
    for position, item in enumerate(ordered, start=1):
        item.order = position
    Question.objects.bulk_update(ordered, ["order"])
    audit_record(
        action=actions.QUESTION_MOVE,
        actor=actor,
        obj=question,
        scheme_id=questionnaire.scheme_id,
        after={"order": [q.pk for q in ordered]},
    )


def specs_of(questionnaire: Questionnaire) -> list[QuestionSpec]:
    """The questionnaire's questions as specs (for copying and exporting)."""
    questions = questionnaire.questions.select_related("section").prefetch_related("choices")
    return [
        QuestionSpec(
            kind=q.kind,
            text=q.text,
            required=q.required,
            section=q.section.title if q.section else "",
            choices=[(c.label, c.points) for c in q.choices.all()],
            max_length=q.max_length,
        )
        for q in questions
    ]


def fill_questions(questionnaire: Questionnaire, specs: list[QuestionSpec]) -> None:
    """Write the questions of a new questionnaire (no checks, no audit: callers do both)."""
    for order, spec in enumerate(specs, start=1):
        _write_question(questionnaire, spec, None, order)


@transaction.atomic
def questionnaire_copy(*, source: Questionnaire, scheme, actor) -> Questionnaire:
    """Copy a questionnaire (usually last year's) into a scheme; answers are never copied."""
    require_office(actor, scheme)
    require_office(actor, source.scheme)
    copy = Questionnaire.objects.create(
        scheme=scheme,
        title=source.title,
        kind=source.kind,
        intro=source.intro,
        thanks=source.thanks,
        copied_from=source,
    )
    fill_questions(copy, specs_of(source))
    audit_record(
        action=actions.QUESTIONNAIRE_COPY,
        actor=actor,
        obj=copy,
        scheme_id=scheme.pk,
        after={"source": source.pk, "questions": copy.questions.count()},
    )
    return copy


@transaction.atomic
def questionnaire_import(
    *,
    scheme,
    header: dict,
    specs: list[QuestionSpec],
    actor,
    into: Questionnaire | None = None,
    filename: str = "",
) -> Questionnaire:
    """Create (or replace the questions of) a questionnaire from a checked sheet; all or nothing."""
    require_office(actor, scheme)
    if into is None:
        into = Questionnaire(scheme=scheme)
    else:
        check_editable(into)
        into.questions.all().delete()
        into.sections.all().delete()
    for name in ("title", "kind", "intro", "thanks"):
        if header.get(name) is not None:
            setattr(into, name, header[name])
    into.full_clean()
    into.save()
    fill_questions(into, specs)
    audit_record(
        action=actions.QUESTIONNAIRE_IMPORT,
        actor=actor,
        obj=into,
        scheme_id=scheme.pk,
        after={"file": filename, "questions": len(specs)},
    )
    return into
