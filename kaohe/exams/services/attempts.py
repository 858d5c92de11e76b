"""The examinee's side: enter with a code, save answers, leave/return events, submit.

Refusals never say why a code failed: a used code, another sitting's code and a guessed one
get the same message. Failed attempts are counted per client address in the cache (Redis in
production) and refused for a while after CODE_FAILURES_ALLOWED within CODE_WINDOW seconds.
"""

from __future__ import annotations

from datetime import timedelta

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kaohe.audit.services import audit_record

from .. import audit_actions as actions
from ..choices import EventKind, ExamineeStatus, SittingStatus, SubmitReason
from ..models import Answer, ExamEvent, Examinee, Question
from ..paper_engine import key_pk
from .marking import examinee_mark_objective

CODE_REFUSED = gettext_lazy(
    "验证码无效或已不能使用，请核对纸条上的验证码，或请考核组工作人员协助。"
)
CODE_THROTTLED = gettext_lazy("尝试次数过多，请 10 分钟后再试或请考核组工作人员协助。")
CODE_FAILURES_ALLOWED = 10
CODE_WINDOW = 600
MAX_TEXT = 2000
MAX_BLANK = 200
MAX_BLANKS = 10


class AttemptRefused(ValidationError):
    """A code, save or submission the server does not accept (nothing was changed)."""


def _throttle_key(client: str) -> str:
    return f"exams:code-failures:{client}"


def code_enter(*, code: str, client: str = "") -> Examinee:
    """The examinee for a code, starting their clock at the first entry."""
    key = _throttle_key(client)
    if (cache.get(key) or 0) >= CODE_FAILURES_ALLOWED:
        raise AttemptRefused(CODE_THROTTLED)
    # Spaces and dashes are ignored; O, I and L (not in the alphabet) are read as 0, 1 and 1.
    code = "".join(c for c in str(code or "").upper() if c.isascii() and c.isalnum())[:16]
    code = code.translate(str.maketrans("OIL", "011"))
    examinee = (
        Examinee.objects.select_related("sitting__exam").filter(code=code).first()
        if len(code) >= 10
        else None
    )
    if examinee is not None:
        expire_if_overdue(examinee)
        examinee.refresh_from_db()
    usable = (
        examinee is not None
        and examinee.sitting.status == SittingStatus.OPEN
        and examinee.status in (ExamineeStatus.WAITING, ExamineeStatus.STARTED)
    )
    if not usable:
        if cache.add(key, 1, CODE_WINDOW) is False:
            try:
                cache.incr(key)
            except ValueError:
                cache.set(key, 1, CODE_WINDOW)
        raise AttemptRefused(CODE_REFUSED)
    return examinee_start(examinee=examinee)


@transaction.atomic
def examinee_start(*, examinee: Examinee) -> Examinee:
    examinee = (
        Examinee.objects.select_for_update().select_related("sitting__exam").get(pk=examinee.pk)
    )
    now = timezone.now()
    if examinee.status == ExamineeStatus.WAITING:
        examinee.status, examinee.started_at = ExamineeStatus.STARTED, now
        examinee.deadline = now + timedelta(minutes=examinee.sitting.exam.time_limit_minutes)
        examinee.save(update_fields=["status", "started_at", "deadline", "updated_at"])
        ExamEvent.objects.create(examinee=examinee, kind=EventKind.ENTER, at=now)
        audit_record(
            action=actions.EXAMINEE_START,
            obj=examinee,
            scheme_id=examinee.sitting.subject.scheme_id,
            after={"deadline": examinee.deadline.isoformat()},
        )
    else:
        ExamEvent.objects.create(examinee=examinee, kind=EventKind.RESUME, at=now)
    return examinee


def expire_if_overdue(examinee: Examinee) -> bool:
    """Derived state: a started paper past its deadline is submitted now, as at time-out."""
    if (
        examinee.status == ExamineeStatus.STARTED
        and examinee.deadline
        and timezone.now() > examinee.deadline
    ):
        examinee_submit(examinee=examinee, reason=SubmitReason.TIMEOUT)
        return True
    return False


def _clean_response(qtype: str, raw, option_count: int):
    if qtype in ("single", "multiple"):
        values = raw if isinstance(raw, list) else [raw]
        letters = sorted({str(v).strip().upper() for v in values if str(v).strip()})
        allowed = "ABCDEF"[:option_count]
        if any(len(v) != 1 or v not in allowed for v in letters) or (
            qtype == "single" and len(letters) > 1
        ):
            raise AttemptRefused(_("答案不是本题的选项。"))
        return "".join(letters)
    if qtype == "tf":
        value = str(raw if not isinstance(raw, list) else (raw[0] if raw else "")).strip().upper()
        if value not in ("", "T", "F"):
            raise AttemptRefused(_("判断题只能选择对或错。"))
        return value
    if qtype == "fill":
        values = raw if isinstance(raw, list) else [raw]
        if len(values) > MAX_BLANKS or any(len(str(v)) > MAX_BLANK for v in values):
            raise AttemptRefused(_("填空答案过长（每空最多 %(n)s 字）。") % {"n": MAX_BLANK})
        return [str(v) for v in values]
    text = str(raw if not isinstance(raw, list) else "\n".join(map(str, raw)))
    if len(text) > MAX_TEXT:
        raise AttemptRefused(_("答案过长（最多 %(n)s 字）。") % {"n": MAX_TEXT})
    return text


def _refuse(examinee: Examinee, message: str, detail: str):
    ExamEvent.objects.create(
        examinee=examinee, kind=EventKind.REFUSED, at=timezone.now(), detail=detail[:255]
    )
    raise AttemptRefused(message)


def answer_save(
    *, examinee: Examinee, question_key: str, response, code: str | None = None
) -> Answer:
    """Store one answer as given, with the server's time; refused after submission or time-out.

    `code` (from the examinee's session) must still be the examinee's: a re-issued code ends
    the old session. Four statements on the hot path: lock the examinee (with its sitting),
    update the answer (insert the first time), commit.
    """
    with transaction.atomic():
        locked = (
            Examinee.objects.select_for_update(of=("self",))
            .select_related("sitting")
            .filter(pk=examinee.pk, **({"code": code} if code is not None else {}))
            .first()
        )
        if locked is None:
            raise AttemptRefused(CODE_REFUSED)
        now = timezone.now()
        state = None
        if locked.status != ExamineeStatus.STARTED or locked.sitting.status != SittingStatus.OPEN:
            state = _("已交卷或考试已结束，答案不能再修改。")
        elif locked.deadline and now > locked.deadline:
            state = _("考试时间已到，答案不能再修改。")
        item = (
            next((i for i in locked.layout if i["q"] == question_key), None)
            if state is None
            else None
        )
        if state is None and item is None:
            state = _("该题不在你的试卷上。")
        if state is None:
            qtype = (
                item.get("t") or Question.objects.only("qtype").get(pk=key_pk(question_key)).qtype
            )
            cleaned = _clean_response(qtype, response, len(item["opts"]))
            question_id = key_pk(question_key)
            updated = Answer.objects.filter(examinee=locked, question_id=question_id).update(
                response=cleaned, saved_at=now, saves=F("saves") + 1
            )
            if not updated:
                Answer.objects.create(
                    examinee=locked, question_id=question_id, response=cleaned, saved_at=now
                )
            return Answer(examinee=locked, question_id=question_id, response=cleaned, saved_at=now)
    expire_if_overdue(locked)
    _refuse(locked, state, f"{question_key}: {state}")


@transaction.atomic
def event_record(*, examinee: Examinee, kind: str, detail: str = "") -> None:
    """Leaving the page / switching apps is recorded, never blocked."""
    if kind not in (EventKind.LEAVE, EventKind.RETURN):
        raise AttemptRefused(_("未知事件。"))
    examinee = Examinee.objects.select_for_update().get(pk=examinee.pk)
    if examinee.status != ExamineeStatus.STARTED:
        return
    ExamEvent.objects.create(examinee=examinee, kind=kind, at=timezone.now(), detail=detail[:255])
    if kind == EventKind.LEAVE:
        examinee.leave_count += 1
        examinee.save(update_fields=["leave_count", "updated_at"])


@transaction.atomic
def examinee_submit(
    *, examinee: Examinee, reason: str = SubmitReason.MANUAL, actor=None
) -> Examinee:
    """Hand in: nothing changes afterwards; objective questions are marked at once."""
    examinee = (
        Examinee.objects.select_for_update().select_related("sitting__subject").get(pk=examinee.pk)
    )
    if examinee.status != ExamineeStatus.STARTED:
        raise AttemptRefused(_("该考生未在作答，不能交卷（已交卷的试卷不能再次提交）。"))
    now = timezone.now()
    if reason == SubmitReason.TIMEOUT and examinee.deadline:
        now = examinee.deadline
    examinee.status, examinee.submitted_at, examinee.submit_reason = (
        ExamineeStatus.SUBMITTED,
        now,
        reason,
    )
    examinee.save(update_fields=["status", "submitted_at", "submit_reason", "updated_at"])
    ExamEvent.objects.create(
        examinee=examinee, kind=EventKind.SUBMIT, at=timezone.now(), detail=str(reason)
    )
    examinee_mark_objective(examinee=examinee)
    audit_record(
        action=actions.EXAMINEE_SUBMIT,
        actor=actor,
        obj=examinee,
        scheme_id=examinee.sitting.subject.scheme_id,
        after={"reason": reason, "answers": examinee.answers.count()},
    )
    return examinee
