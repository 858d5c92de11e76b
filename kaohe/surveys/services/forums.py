"""Forum records (座谈会) and their opinions; an opinion can become a rectification item."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from kaohe.audit.services import audit_record

from .. import audit_actions as actions
from ..models import ForumOpinion, ForumRecord
from .common import require_office


@transaction.atomic
def forum_save(
    *,
    scheme,
    held_on: date,
    place: str,
    actor,
    subject=None,
    survey=None,
    attendees: str = "",
    notes: str = "",
    forum: ForumRecord | None = None,
) -> ForumRecord:
    """Record a forum: when, where, which enterprises came (never linked to answers)."""
    require_office(actor, scheme)
    if subject is not None and subject.scheme_id != scheme.pk:
        raise ValidationError("单位不是本方案的考核对象。")
    if survey is not None and survey.scheme_id != scheme.pk:
        raise ValidationError("调查不属于本方案。")
    forum = forum or ForumRecord(scheme=scheme)
    forum.subject, forum.survey, forum.held_on = subject, survey, held_on
    forum.place, forum.attendees, forum.notes = place.strip(), attendees.strip(), notes.strip()
    forum.full_clean()
    forum.save()
    audit_record(
        action=actions.FORUM_SAVE,
        actor=actor,
        obj=forum,
        scheme_id=scheme.pk,
        after={"held_on": held_on, "place": forum.place, "attendees": len(forum.attendee_list)},
    )
    return forum


@transaction.atomic
def opinion_add(*, forum: ForumRecord, text: str, actor) -> ForumOpinion:
    require_office(actor, forum.scheme)
    text = (text or "").strip()
    if not text:
        raise ValidationError("请填写意见内容。")
    if len(text) > 2000:
        raise ValidationError("意见内容最多 2000 字。")
    opinion = ForumOpinion.objects.create(forum=forum, text=text)
    audit_record(
        action=actions.OPINION_ADD,
        actor=actor,
        obj=opinion,
        scheme_id=forum.scheme_id,
        after={"text": text[:200]},
    )
    return opinion


def _rectification_create(*, scheme, subject, title, description, deadline, actor):
    """The one call into the rectification app (it sits above surveys in the layers)."""
    from kaohe.rectification.services import items_create

    return items_create(
        scheme=scheme,
        subjects=[subject],
        title=title,
        description=description,
        deadline=deadline,
        actor=actor,
    )[0]


@transaction.atomic
def opinion_rectify(*, opinion: ForumOpinion, deadline: date, actor, subject=None):
    """Turn an opinion into a rectification item for the forum's subject (once)."""
    forum = opinion.forum
    require_office(actor, forum.scheme)
    if opinion.rectification_item_id:
        raise ValidationError("该意见已转为整改事项。")
    subject = subject or forum.subject
    if subject is None:
        raise ValidationError("请选择整改单位。")
    item = _rectification_create(
        scheme=forum.scheme,
        subject=subject,
        title=opinion.text[:120],
        description=f"来源：{forum.held_on:%Y-%m-%d} {forum.place} 民营企业家座谈会意见。\n{opinion.text}",
        deadline=deadline,
        actor=actor,
    )
    ForumOpinion.objects.filter(pk=opinion.pk).update(rectification_item_id=item.pk)
    opinion.rectification_item_id = item.pk
    audit_record(
        action=actions.OPINION_RECTIFY,
        actor=actor,
        obj=opinion,
        scheme_id=forum.scheme_id,
        after={"item": item.pk, "subject": subject.pk},
    )
    return item
