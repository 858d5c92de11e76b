"""Writes for rectification: items from deductions, checklists, objections or typed by the office;
the unit's measures and evidence; the office's verification (close or return).
"""

from datetime import date

from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kaohe.audit.services import audit_record
from kaohe.common.uploads import CheckedFile
from kaohe.notifications.services import notify
from kaohe.publishing.services import unit_users
from kaohe.rectification import audit_actions
from kaohe.schemes import access
from kaohe.schemes.models import Indicator, Scheme, ScoreEntry, Subject
from kaohe.scoring import engine

from .choices import ItemSource, ItemStatus
from .models import Evidence, RectificationItem


def _notify_new(item: RectificationItem) -> None:
    notify(
        users=unit_users(item.subject),
        title=f"新的整改事项：{item.title[:60]}",
        body=f"{item.scheme.name}：请于 {item.deadline:%Y-%m-%d} 前提交整改措施和佐证材料。",
        url=f"/rectification/items/{item.pk}/",
        emails=[item.subject.unit.contact_email],
    )


def _create(
    *,
    scheme: Scheme,
    subject: Subject,
    title: str,
    deadline: date,
    source: str,
    actor,
    description: str = "",
    indicator: Indicator | None = None,
    source_ref: str = "",
) -> RectificationItem | None:
    """Create one item; an item with the same source reference is not created twice."""
    if subject.scheme_id != scheme.pk:
        raise ValidationError(_("单位“%(unit)s”不是本方案的考核对象。") % {"unit": subject.unit})
    if (
        source_ref
        and RectificationItem.objects.filter(
            subject=subject, source=source, source_ref=source_ref
        ).exists()
    ):
        return None
    item = RectificationItem(
        scheme=scheme,
        subject=subject,
        indicator=indicator,
        source=source,
        source_ref=source_ref,
        title=title.strip()[:255],
        description=description.strip(),
        deadline=deadline,
    )
    item.full_clean()
    item.save()
    audit_record(
        action=audit_actions.RECTIFICATION_CREATE,
        actor=actor,
        obj=item,
        scheme_id=scheme.pk,
        after={"subject": subject.pk, "source": source, "title": item.title, "deadline": deadline},
    )
    _notify_new(item)
    return item


def _check_deadline(deadline) -> None:
    if deadline is None:
        raise ValidationError(_("请填写整改期限。"))


@transaction.atomic
def items_create(
    *,
    scheme: Scheme,
    subjects,
    title: str,
    deadline: date,
    actor,
    description: str = "",
    indicator: Indicator | None = None,
) -> list[RectificationItem]:
    """The office types a problem (e.g. a paragraph of the notice's 存在问题) for one or more units."""
    access.require_manage_scheme(actor, scheme)
    _check_deadline(deadline)
    if not (title or "").strip():
        raise ValidationError(_("请填写问题。"))
    subjects = list(subjects)
    if not subjects:
        raise ValidationError(_("请至少选择一个整改单位。"))
    return [
        _create(
            scheme=scheme,
            subject=s,
            title=title,
            description=description,
            deadline=deadline,
            indicator=indicator,
            source=ItemSource.OFFICE,
            actor=actor,
        )
        for s in subjects
    ]


@transaction.atomic
def items_from_deductions(
    *, scheme: Scheme, deadline: date, actor, only_with_note: bool = True
) -> int:
    """One item per deducted leaf score (with its reason); re-running adds only new ones."""
    access.require_manage_scheme(actor, scheme)
    _check_deadline(deadline)
    created = 0
    entries = ScoreEntry.objects.filter(subject__scheme=scheme).select_related(
        "indicator__component", "subject__unit"
    )
    for entry in entries.order_by("subject__order", "indicator__code"):
        lost = engine.points_lost(engine.leaf_from_indicator(entry.indicator), entry.value)
        if lost <= 0 or (only_with_note and not entry.note.strip()):
            continue
        ind = entry.indicator
        reason = entry.note.strip() or f"扣{lost}分"
        item = _create(
            scheme=scheme,
            subject=entry.subject,
            title=f"{ind.code} {ind.name}：{reason}",
            description=f"该项扣 {lost} 分。{entry.note}".strip(),
            deadline=deadline,
            indicator=ind,
            source=ItemSource.DEDUCTION,
            source_ref=f"score:{entry.pk}",
            actor=actor,
        )
        created += item is not None
    return created


@transaction.atomic
def items_from_checklists(*, scheme: Scheme, deadline: date, actor) -> int:
    """One item per failed on-site checklist item (onsite app), with the checker's note."""
    access.require_manage_scheme(actor, scheme)
    _check_deadline(deadline)
    try:
        answer_model = apps.get_model("onsite", "ChecklistAnswer")
    except LookupError:
        return 0
    answers = answer_model.objects.filter(
        fill__subject__scheme=scheme, result="fail"
    ).select_related("item", "fill__subject__unit", "fill__checklist__indicator")
    created = 0
    for answer in answers:
        fill = answer.fill
        target = f"（{fill.target}）" if fill.target else ""
        item = _create(
            scheme=scheme,
            subject=fill.subject,
            title=f"检查不符合{target}：{answer.item.text}"[:255],
            description=answer.note,
            deadline=deadline,
            indicator=fill.checklist.indicator,
            source=ItemSource.CHECKLIST,
            source_ref=f"check:{answer.pk}",
            actor=actor,
        )
        created += item is not None
    return created


@transaction.atomic
def item_from_objection(*, objection, deadline: date, actor) -> RectificationItem | None:
    """A problem confirmed while reviewing an objection becomes an item for that unit."""
    objection = (
        type(objection)
        .objects.select_related("scheme", "subject__unit", "indicator")
        .get(pk=objection.pk)
    )
    access.require_manage_scheme(actor, objection.scheme)
    _check_deadline(deadline)
    subject_label = objection.indicator.name if objection.indicator else "总分/等次"
    return _create(
        scheme=objection.scheme,
        subject=objection.subject,
        title=f"复核#{objection.pk}（{subject_label}）：{objection.decision_text or objection.text}",
        description=objection.text,
        deadline=deadline,
        indicator=objection.indicator,
        source=ItemSource.OBJECTION,
        source_ref=f"objection:{objection.pk}",
        actor=actor,
    )


@transaction.atomic
def item_from_opinion(*, opinion, deadline: date, actor, subject=None) -> RectificationItem | None:
    """An opinion raised at an entrepreneurs' forum (满意度调查 · 座谈会) becomes an item for the
    unit concerned (the forum's subject unless another is chosen); once per opinion."""
    from kaohe.surveys.services.forums import opinion_mark_rectified

    forum = opinion.forum
    access.require_manage_scheme(actor, forum.scheme)
    _check_deadline(deadline)
    subject = subject or forum.subject
    if subject is None:
        raise ValidationError(_("请选择整改单位。"))
    item = _create(
        scheme=forum.scheme,
        subject=subject,
        title=opinion.text,
        description=f"来源：{forum.held_on:%Y-%m-%d} {forum.place} 民营企业家座谈会意见。\n{opinion.text}",
        deadline=deadline,
        source=ItemSource.OFFICE,
        source_ref=f"forum-opinion:{opinion.pk}",
        actor=actor,
    )
    if item is not None:
        opinion_mark_rectified(opinion=opinion, item_id=item.pk, actor=actor)
    return item


@transaction.atomic
def item_submit(
    *, item: RectificationItem, measures: str, actor, files: list[CheckedFile] = ()
) -> RectificationItem:
    """The unit reports its measures with evidence; the office then verifies."""
    item = (
        RectificationItem.objects.select_for_update()
        .select_related("subject__unit")
        .get(pk=item.pk)
    )
    if not access.is_unit_of_subject(actor, item.subject):
        raise PermissionDenied(_("只能提交本单位的整改情况。"))
    if item.status not in (ItemStatus.OPEN, ItemStatus.RETURNED):
        raise ValidationError(
            _("该事项当前为“%(status)s”，不能提交。") % {"status": item.get_status_display()}
        )
    measures = (measures or "").strip()
    if not measures:
        raise ValidationError(_("请填写整改措施。"))
    if not files and not item.evidence.exists():
        raise ValidationError(_("请上传至少一份整改佐证材料。"))
    for checked in files:
        evidence = Evidence(
            item=item,
            original_name=checked.name,
            content_type=checked.content_type,
            size=checked.size,
            uploaded_by=actor,
        )
        evidence.file.save(checked.name, checked.content(), save=False)
        evidence.save()
    before = item.status
    item.measures = measures
    item.status = ItemStatus.SUBMITTED
    item.submitted_at = timezone.now()
    item.save()
    audit_record(
        action=audit_actions.RECTIFICATION_SUBMIT,
        actor=actor,
        obj=item,
        scheme_id=item.scheme_id,
        before={"status": before},
        after={"status": item.status, "files": [c.name for c in files]},
        message=measures[:500],
    )
    return item


@transaction.atomic
def item_verify(*, item: RectificationItem, close: bool, comment: str, actor) -> RectificationItem:
    """The office closes (销号) or returns the item; returning needs a reason."""
    item = (
        RectificationItem.objects.select_for_update()
        .select_related("scheme", "subject__unit")
        .get(pk=item.pk)
    )
    access.require_manage_scheme(actor, item.scheme)
    if item.status != ItemStatus.SUBMITTED:
        raise ValidationError(_("只能核验已提交的整改事项。"))
    comment = (comment or "").strip()
    if not close and not comment:
        raise ValidationError(_("退回须说明理由。"))
    item.status = ItemStatus.CLOSED if close else ItemStatus.RETURNED
    item.verified_by = actor
    item.verified_at = timezone.now()
    item.verify_comment = comment
    item.save()
    audit_record(
        action=audit_actions.RECTIFICATION_VERIFY,
        actor=actor,
        obj=item,
        scheme_id=item.scheme_id,
        before={"status": ItemStatus.SUBMITTED},
        after={"status": item.status},
        message=comment,
    )
    notify(
        users=unit_users(item.subject),
        title=f"整改事项{'已销号' if close else '被退回'}：{item.title[:60]}",
        body=comment or "整改情况经核验通过。",
        url=f"/rectification/items/{item.pk}/",
        emails=[item.subject.unit.contact_email],
    )
    return item
