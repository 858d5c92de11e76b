"""Saving answers: checked, single-use, idempotent and quota-safe; anonymous by construction."""

import re
from collections.abc import Mapping
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kaohe.audit.services import audit_record
from kaohe.schemes.choices import SCORE_EDITABLE_STATUSES

from .. import audit_actions as actions
from .. import protection
from ..choices import TEAM_CHANNELS, Channel, MarkKind, QuestionKind
from ..models import Answer, DuplicateBurst, Invitation, Response, SubmissionMark, SurveyTarget
from .common import require_team
from .surveys import accepts_answers

CODE_REFUSED = gettext_lazy("邀请码无效或已被使用。")
CODE_SHAPE = re.compile(r"[A-Z0-9]{1,16}")
BURST_MIN = 3


class AlreadyReceived(Exception):
    """This submission (same idempotency key) was saved before: show the thanks page again."""


class SubmissionRefused(ValidationError):
    """Refused as a whole (window, code, quota, device); the message says why."""


@dataclass(frozen=True)
class CleanAnswer:
    question_id: int
    choice_id: int | None = None
    text: str = ""


def clean_answers(questions, data: Mapping[str, list[str]]):
    """Check raw form values (`q<id>` → values) against the questions.

    Returns (answers, errors by question id, general errors).
    """
    by_id = {q.pk: q for q in questions}
    general, errors, answers = [], {}, []
    for key in data:
        if key.startswith("q") and (not key[1:].isdigit() or int(key[1:]) not in by_id):
            general.append(_("提交内容包含不属于本问卷的题目。"))
            break
    for question in questions:
        values = [v for v in data.get(f"q{question.pk}", []) if v not in (None, "")]
        problem, cleaned = _clean_one(question, values)
        if problem:
            errors[question.pk] = problem
        answers.extend(cleaned)
    return answers, errors, general


def _clean_one(question, values: list[str]):
    if question.kind == QuestionKind.TEXT:
        text = "\n".join(values).strip()
        if "\x00" in text:
            return _("内容包含无效字符。"), []
        if question.required and not text:
            return _("此题必答。"), []
        if len(text) > question.max_length:
            return _("内容过长：最多 %(max)s 字，现有 %(n)s 字。") % {
                "max": question.max_length,
                "n": len(text),
            }, []
        return None, [CleanAnswer(question.pk, None, text)] if text else []
    if not values:
        return (_("此题必答。") if question.required else None), []
    if question.kind != QuestionKind.MULTIPLE and len(values) > 1:
        return _("此题只能选一项。"), []
    valid = {str(c.pk): c.pk for c in question.choices.all()}
    if any(v not in valid for v in values) or len(set(values)) != len(values):
        return _("所选选项不在本题的选项中。"), []
    return None, [CleanAnswer(question.pk, valid[v]) for v in values]


def _mark(survey, kind: str, value: str) -> bool:
    """Record a used key/token; False when it was used before (or concurrently)."""
    try:
        with transaction.atomic():
            SubmissionMark.objects.create(survey=survey, kind=kind, digest=protection.digest(value))
    except IntegrityError:
        return False
    return True


def _use_code(survey, target, code: str, day) -> None:
    code = (code or "").strip().upper()
    if not CODE_SHAPE.fullmatch(code):
        raise SubmissionRefused(CODE_REFUSED)
    unused = Invitation.objects.filter(
        Q(target__isnull=True) | Q(target=target), survey=survey, code=code, used=False
    )
    if not unused.update(used=True, used_on=day):
        raise SubmissionRefused(CODE_REFUSED)


def _count(target: SurveyTarget, quota: int | None) -> None:
    """Atomic quota: the conditional UPDATE is the check (no read-then-write race)."""
    rows = SurveyTarget.objects.filter(pk=target.pk)
    if quota is not None:
        rows = rows.filter(answers_count__lt=quota)
    if not rows.update(answers_count=F("answers_count") + 1):
        raise SubmissionRefused(_("该单位的答卷数量已达上限，感谢您的参与。"))


def _store(survey, target, answers: list[CleanAnswer], channel: str, day) -> Response:
    response = Response.objects.create(survey=survey, target=target, channel=channel, day=day)
    Answer.objects.bulk_create(
        Answer(response=response, question_id=a.question_id, choice_id=a.choice_id, text=a.text)
        for a in answers
    )
    return response


@transaction.atomic
def response_submit(
    *,
    target: SurveyTarget,
    answers: list[CleanAnswer],
    idempotency_key: str,
    device_nonce: str | None,
    code: str = "",
) -> None:
    """A respondent's answers through a public link (with a code when the survey needs one).

    Nothing identifying is stored: no account, address, user agent; the day only.
    """
    survey = target.survey
    if not accepts_answers(survey):
        raise SubmissionRefused(_("该调查当前不在答题时间内。"))
    if not idempotency_key or len(idempotency_key) > 64 or "\x00" in idempotency_key:
        raise SubmissionRefused(_("页面已过期，请刷新后重新填写。"))
    if not _mark(survey, MarkKind.IDEMPOTENCY, idempotency_key):
        raise AlreadyReceived()
    day = timezone.localdate()
    channel = Channel.LINK
    if survey.invitation_only or code:
        _use_code(survey, target, code, day)
        channel = Channel.INVITATION
    elif device_nonce is None:
        raise SubmissionRefused(_("页面已过期，请刷新后重新填写（请允许浏览器保存 Cookie）。"))
    elif not _mark(survey, MarkKind.DEVICE, device_nonce):
        raise SubmissionRefused(_("本设备已经提交过该问卷，感谢您的参与。"))
    _count(target, survey.quota)
    _store(survey, target, answers, channel, day)
    signature = protection.answers_signature(answers)
    transaction.on_commit(lambda: _note_burst(target, signature))


def _note_burst(target: SurveyTarget, signature: str) -> None:
    count, window = protection.burst_count(target.survey_id, target.pk, signature)
    if count < BURST_MIN:
        return
    day = timezone.localdate()
    burst, _created = DuplicateBurst.objects.get_or_create(
        survey_id=target.survey_id, target=target, signature=signature, day=day, window=window
    )
    DuplicateBurst.objects.filter(pk=burst.pk, count__lt=count).update(count=count)


@transaction.atomic
def response_team_enter(
    *, target: SurveyTarget, answers: list[CleanAnswer], channel: str, actor
) -> None:
    """A team member records an interviewed person's answers or types in a paper questionnaire.

    Allowed while the scheme runs, also after the window closed (paper forms come in later);
    the quota is for public links only. The audit event names the subject, not the answer.
    """
    if channel not in TEAM_CHANNELS:
        raise ValidationError(_("录入渠道无效。"))
    survey = target.survey
    require_team(actor, target.subject)
    if survey.scheme.status not in SCORE_EDITABLE_STATUSES:
        raise SubmissionRefused(_("方案结果已冻结，不能再录入答卷。"))
    if timezone.now() < survey.opens_at:
        raise SubmissionRefused(_("调查尚未开始。"))
    _count(target, None)
    _store(survey, target, answers, channel, timezone.localdate())
    audit_record(
        action=actions.RESPONSE_TEAM_ENTER,
        actor=actor,
        obj=target,
        scheme_id=survey.scheme_id,
        after={"survey": survey.pk, "subject": target.subject_id, "channel": channel},
    )


@transaction.atomic
def answer_hide(*, answer: Answer, hidden: bool, actor) -> Answer:
    """Hide (or show again) a free-text answer in reports; the record keeps it."""
    from .common import require_office

    survey = answer.response.survey
    require_office(actor, survey.scheme)
    Answer.objects.filter(pk=answer.pk).update(hidden=hidden)
    answer.hidden = hidden
    audit_record(
        action=actions.ANSWER_HIDE,
        actor=actor,
        obj=survey,
        scheme_id=survey.scheme_id,
        after={"answer": answer.pk, "hidden": hidden},
    )
    return answer
