"""Forum records (座谈会) and their opinions; an opinion can become a rectification item."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

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
        raise ValidationError(_("单位不是本方案的考核对象。"))
    if survey is not None and survey.scheme_id != scheme.pk:
        raise ValidationError(_("调查不属于本方案。"))
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
        raise ValidationError(_("请填写意见内容。"))
    if len(text) > 2000:
        raise ValidationError(_("意见内容最多 2000 字。"))
    opinion = ForumOpinion.objects.create(forum=forum, text=text)
    audit_record(
        action=actions.OPINION_ADD,
        actor=actor,
        obj=opinion,
        scheme_id=forum.scheme_id,
        after={"text": text[:200]},
    )
    return opinion


@transaction.atomic
def opinion_mark_rectified(*, opinion: ForumOpinion, item_id: int, actor) -> ForumOpinion:
    """Remember which rectification item an opinion became (called by the rectification app,
    which sits above this one and creates the item)."""
    require_office(actor, opinion.forum.scheme)
    if opinion.rectification_item_id:
        raise ValidationError(_("该意见已转为整改事项。"))
    ForumOpinion.objects.filter(pk=opinion.pk).update(rectification_item_id=item_id)
    opinion.rectification_item_id = item_id
    audit_record(
        action=actions.OPINION_RECTIFY,
        actor=actor,
        obj=opinion,
        scheme_id=opinion.forum.scheme_id,
        after={"item": item_id},
    )
    return opinion
