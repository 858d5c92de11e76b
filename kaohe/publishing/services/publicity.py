"""Writes for publishing: scheme status (freeze → publicity → final, reopen), objections, notices.

Every service is keyword-only, runs in a transaction and writes its own audit event.
"""

from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kaohe.accounts.choices import Role
from kaohe.accounts.models import User
from kaohe.audit.services import audit_record
from kaohe.common.uploads import CheckedFile
from kaohe.notifications.services import notify
from kaohe.publishing import audit_actions
from kaohe.schemes import access
from kaohe.schemes.choices import SchemeStatus, ScoreSource
from kaohe.schemes.models import Indicator, Scheme, ScoreEntry, Subject
from kaohe.scoring.models import SubjectResult
from kaohe.scoring.services import results_ensure_fresh, results_recompute, score_set

from ..choices import ObjectionStatus
from ..models import Objection, ObjectionFile, ResultSnapshot
from ..selectors import finalise_refusal

FREEZABLE = (SchemeStatus.DRAFT, SchemeStatus.ACTIVE)
UNDER_REVIEW = (SchemeStatus.FROZEN, SchemeStatus.PUBLICITY)


def _lock(scheme: Scheme) -> Scheme:
    return Scheme.objects.select_for_update().get(pk=scheme.pk)


def _set_status(scheme: Scheme, status: str, **extra) -> None:
    Scheme.objects.filter(pk=scheme.pk).update(status=status, **extra)
    scheme.status = status
    for key, value in extra.items():
        setattr(scheme, key, value)


def snapshot_take(*, scheme: Scheme, reason: str, actor=None) -> ResultSnapshot:
    """Store the current results (total, rank, grade per subject) as JSON."""
    rows = SubjectResult.objects.filter(scheme=scheme).values_list(
        "subject_id", "subject__unit__name", "total", "rank", "grade"
    )
    data = {
        str(sid): {"unit": name, "total": str(total), "rank": rank, "grade": grade}
        for sid, name, total, rank, grade in rows
    }
    return ResultSnapshot.objects.create(scheme=scheme, reason=reason, data=data, created_by=actor)


@transaction.atomic
def scheme_freeze(*, scheme: Scheme, actor) -> Scheme:
    """Recompute, snapshot and freeze the results: scores change only through 复核 from now on."""
    access.require_manage_scheme(actor, scheme)
    scheme = _lock(scheme)
    if scheme.status not in FREEZABLE:
        raise ValidationError(
            _("方案当前状态为“%(status)s”，不能冻结结果。")
            % {"status": scheme.get_status_display()}
        )
    if not scheme.subjects.exists():
        raise ValidationError(_("方案没有考核对象，不能冻结结果。"))
    results_recompute(scheme=scheme, actor=actor, reason="冻结前重算")
    return _snapshot_and_set(
        scheme, SchemeStatus.FROZEN, "冻结", audit_actions.SCHEME_FREEZE, actor
    )


def _snapshot_and_set(scheme: Scheme, status: str, reason: str, action: str, actor) -> Scheme:
    """The common tail of freeze and finalise: keep the results as they are now, move the
    scheme to its new status, and audit both (the snapshot id ties the event to the numbers)."""
    snap = snapshot_take(scheme=scheme, reason=reason, actor=actor)
    before = scheme.status
    _set_status(scheme, status)
    audit_record(
        action=action,
        actor=actor,
        obj=scheme,
        scheme_id=scheme.pk,
        before={"status": before},
        after={"status": scheme.status, "snapshot": snap.pk},
    )
    return scheme


def unit_users(subject: Subject):
    """The unit users of a subject's unit (they get the notifications)."""
    return User.objects.filter(
        is_active=True,
        role_assignments__role=Role.UNIT_USER,
        role_assignments__unit=subject.unit,
    ).distinct()


def office_users(scheme: Scheme) -> list:
    """Office admins whose role covers the scheme's owning unit (they review objections)."""
    candidates = User.objects.filter(
        is_active=True, role_assignments__role=Role.OFFICE_ADMIN
    ).distinct()
    return [u for u in candidates if access.can_manage_scheme(u, scheme)]


@transaction.atomic
def publicity_open(*, scheme: Scheme, start: date, end: date, actor) -> Scheme:
    """Open the public-notice period (公示); every subject's unit users are notified."""
    access.require_manage_scheme(actor, scheme)
    scheme = _lock(scheme)
    if scheme.status not in UNDER_REVIEW:
        raise ValidationError(_("请先冻结考核结果，再开始公示。"))
    if start is None or end is None:
        raise ValidationError(_("请填写公示开始和结束日期。"))
    if end < start:
        raise ValidationError(_("公示结束日期不能早于开始日期。"))
    before = {"status": scheme.status, "notice_start": scheme.notice_start}
    _set_status(scheme, SchemeStatus.PUBLICITY, notice_start=start, notice_end=end)
    for subject in scheme.subjects.select_related("unit"):
        notify(
            users=unit_users(subject),
            title=f"{scheme.name}考核结果公示",
            body=(
                f"{scheme.name}考核结果已公示（{start:%Y-%m-%d} 至 {end:%Y-%m-%d}）。"
                "请登录系统查看本单位得分、名次、等次及扣分原因；如有异议，请在公示期内提出复核申请。"
            ),
            url=f"/publishing/schemes/{scheme.pk}/my/",
            emails=[subject.unit.contact_email],
        )
    audit_record(
        action=audit_actions.SCHEME_PUBLICITY_OPEN,
        actor=actor,
        obj=scheme,
        scheme_id=scheme.pk,
        before=before,
        after={"status": scheme.status, "notice_start": start, "notice_end": end},
    )
    return scheme


@transaction.atomic
def scheme_finalise(*, scheme: Scheme, actor) -> Scheme:
    """Lock the results (定稿) once the publicity period is over; refused while objections
    are pending."""
    access.require_manage_scheme(actor, scheme)
    scheme = _lock(scheme)
    refusal = finalise_refusal(scheme)
    if refusal:
        raise ValidationError(refusal)
    results_ensure_fresh(scheme=scheme, actor=actor)
    return _snapshot_and_set(
        scheme, SchemeStatus.FINAL, "定稿", audit_actions.SCHEME_FINALISE, actor
    )


@transaction.atomic
def scheme_reopen(*, scheme: Scheme, reason: str, actor) -> Scheme:
    """Re-open locked or frozen results for editing; office admin only, reason required."""
    access.require_manage_scheme(actor, scheme)
    reason = (reason or "").strip()
    if len(reason) < 4:
        raise ValidationError(_("重新开启必须说明理由（至少 4 个字）。"))
    scheme = _lock(scheme)
    if scheme.status not in (*UNDER_REVIEW, SchemeStatus.FINAL):
        raise ValidationError(_("方案未冻结或定稿，无需重新开启。"))
    before = scheme.status
    _set_status(scheme, SchemeStatus.ACTIVE)
    audit_record(
        action=audit_actions.SCHEME_REOPEN,
        actor=actor,
        obj=scheme,
        scheme_id=scheme.pk,
        before={"status": before},
        after={"status": scheme.status},
        message=reason,
    )
    return scheme


# --- objections -------------------------------------------------------------------------


def publicity_is_open(scheme: Scheme, today: date | None = None) -> bool:
    today = today or timezone.localdate()
    return (
        scheme.status == SchemeStatus.PUBLICITY
        and scheme.notice_start is not None
        and scheme.notice_end is not None
        and scheme.notice_start <= today <= scheme.notice_end
    )


def _check_leaf(subject: Subject, indicator: Indicator | None) -> None:
    if indicator is None:
        return
    if indicator.scheme_id != subject.scheme_id or indicator.children.exists():
        raise ValidationError(_("所选指标不是本方案的末级指标。"))
    if not Indicator.objects.applying_to(subject).filter(pk=indicator.pk).exists():
        raise ValidationError(
            _("指标“%(code)s %(name)s”不适用于本单位。")
            % {"code": indicator.code, "name": indicator.name}
        )


@transaction.atomic
def objection_submit(
    *,
    subject: Subject,
    text: str,
    actor,
    indicator: Indicator | None = None,
    files: list[CheckedFile] = (),
) -> Objection:
    """A unit asks for review of one item (or of its total) within the publicity period."""
    scheme = Scheme.objects.select_related("owner_unit").get(pk=subject.scheme_id)  # fresh status
    if not access.is_unit_of_subject(actor, subject) and not access.can_manage_scheme(
        actor, scheme
    ):
        raise PermissionDenied(_("只能对本单位的考核结果提出复核申请。"))
    if not publicity_is_open(scheme):
        raise ValidationError(_("不在公示期内，不能提出复核申请。"))
    text = (text or "").strip()
    if not text:
        raise ValidationError(_("请填写异议理由。"))
    _check_leaf(subject, indicator)
    objection = Objection.objects.create(
        scheme=scheme, subject=subject, indicator=indicator, text=text, filed_by=actor
    )
    for checked in files:
        stored = ObjectionFile(
            objection=objection,
            original_name=checked.name,
            content_type=checked.content_type,
            size=checked.size,
        )
        stored.file.save(checked.name, checked.content(), save=False)
        stored.save()
    notify(
        users=office_users(scheme),
        title=f"新的复核申请#{objection.pk}：{subject.unit}",
        body=f"{scheme.name}：{subject.unit}提出复核申请。{text[:200]}",
        url=f"/publishing/objections/{objection.pk}/",
    )
    audit_record(
        action=audit_actions.OBJECTION_FILE,
        actor=actor,
        obj=objection,
        scheme_id=scheme.pk,
        after={
            "subject": subject.pk,
            "indicator": indicator.code if indicator else None,
            "text": text,
            "files": [c.name for c in files],
        },
    )
    return objection


def _rank_of(subject: Subject) -> int | None:
    return SubjectResult.objects.filter(subject=subject).values_list("rank", flat=True).first()


@transaction.atomic
def objection_decide(
    *,
    objection: Objection,
    upheld: bool,
    decision_text: str,
    actor,
    new_value: Decimal | None = None,
    indicator: Indicator | None = None,
) -> Objection:
    """Uphold (with a score change, then recompute) or reject (with reasons); notify the unit."""
    objection = (
        Objection.objects.select_for_update()
        .select_related("scheme", "subject")
        .get(pk=objection.pk)
    )
    scheme, subject = objection.scheme, objection.subject
    decision_text = _decidable_text(objection, actor, decision_text)
    objection.rank_before = _rank_of(subject)
    if upheld:
        _uphold(objection, indicator or objection.indicator, new_value, decision_text, actor)
    else:
        objection.status = ObjectionStatus.REJECTED
    objection.rank_after = _rank_of(subject)
    objection.decision_text = decision_text
    objection.decided_by = actor
    objection.decided_at = timezone.now()
    objection.save()
    audit_record(
        action=audit_actions.OBJECTION_DECIDE,
        actor=actor,
        obj=objection,
        scheme_id=scheme.pk,
        before={"status": ObjectionStatus.PENDING, "value": objection.old_value},
        after={
            "status": objection.status,
            "value": objection.new_value,
            "rank": [objection.rank_before, objection.rank_after],
        },
        message=decision_text,
    )
    _notify_decision(objection, upheld, decision_text)
    return objection


def _decidable_text(objection: Objection, actor, decision_text: str) -> str:
    """Refuse a decision the actor may not make now; the stripped decision text otherwise."""
    access.require_manage_scheme(actor, objection.scheme)
    if objection.status != ObjectionStatus.PENDING:
        raise ValidationError(_("该复核申请已处理。"))
    if objection.scheme.status not in UNDER_REVIEW:
        raise ValidationError(_("方案不在冻结或公示阶段，不能处理复核申请。"))
    decision_text = (decision_text or "").strip()
    if not decision_text:
        raise ValidationError(_("请填写复核意见（成立的调整依据或不成立的理由）。"))
    return decision_text


def _uphold(
    objection: Objection, indicator, new_value: Decimal | None, decision_text: str, actor
) -> None:
    """Change the disputed score through the score service, recompute and mark it upheld."""
    scheme, subject = objection.scheme, objection.subject
    if indicator is None or new_value is None:
        raise ValidationError(_("复核成立须指定调整的指标和调整后的分值。"))
    _check_leaf(subject, indicator)
    entry = ScoreEntry.objects.filter(subject=subject, indicator=indicator).first()
    objection.old_value = entry.value if entry else None
    note = entry.note if entry else ""
    note = f"{note}（复核调整：{decision_text}）".strip() if note else f"复核调整：{decision_text}"
    reason = f"复核：复核申请#{objection.pk} {decision_text}"
    score_set(
        subject=subject,
        indicator=indicator,
        value=new_value,
        note=note,
        actor=actor,
        source=ScoreSource.OBJECTION,
        override_reason=reason,
    )
    results_recompute(scheme=scheme, actor=actor, reason=reason)
    objection.indicator = indicator
    objection.new_value = new_value
    objection.status = ObjectionStatus.UPHELD


def _notify_decision(objection: Objection, upheld: bool, decision_text: str) -> None:
    """Tell the subject unit's users (and its contact e-mail) how the objection ended."""
    scheme, subject = objection.scheme, objection.subject
    verdict = "成立，已调整得分" if upheld else "不成立，维持原评分"
    notify(
        users=unit_users(subject),
        title=f"复核申请#{objection.pk}处理结果：{verdict}",
        body=f"{scheme.name}：您单位的复核申请#{objection.pk}经复核{verdict}。复核意见：{decision_text}",
        url=f"/publishing/objections/{objection.pk}/",
        emails=[subject.unit.contact_email],
    )
