"""Reads for rectification, always given the user."""

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from kaohe.schemes import access
from kaohe.schemes.models import Scheme, Subject

from .choices import OPEN_STATUSES
from .models import Evidence, RectificationItem


def items_for(user, scheme: Scheme, *, status: str = "", overdue: bool = False):
    """All items for the office and teams; a unit user sees its own unit's items only."""
    qs = RectificationItem.objects.filter(scheme=scheme).select_related(
        "subject__unit", "indicator"
    )
    if not access.can_view_all_subjects(user, scheme):
        # Unit users: their own unit; assessment teams: the subjects they visited.
        qs = qs.filter(subject__in=access.visible_subjects(user, scheme).values("pk"))
    if status:
        qs = qs.filter(status=status)
    if overdue:
        qs = qs.filter(status__in=OPEN_STATUSES, deadline__lt=timezone.localdate())
    return qs


def access_item(user, pk) -> RectificationItem:
    item = (
        RectificationItem.objects.select_related("scheme__owner_unit", "subject__unit", "indicator")
        .filter(pk=pk)
        .first()
    )
    if item is None or not (
        access.can_view_all_subjects(user, item.scheme)
        or access.visible_subjects(user, item.scheme).filter(pk=item.subject_id).exists()
    ):
        raise Http404(_("整改事项不存在"))
    return item


def access_evidence(user, pk) -> Evidence:
    item_id = Evidence.objects.filter(pk=pk).values_list("item_id", flat=True).first()
    if item_id is None:
        raise Http404(_("文件不存在"))
    access_item(user, item_id)
    return Evidence.objects.get(pk=pk)


def previous_open_items(user, scheme: Scheme) -> dict[Subject, list[RectificationItem]]:
    """Last year's items still open, keyed by this year's subject of the same unit."""
    if scheme.previous_id is None:
        return {}
    subjects = {s.unit_id: s for s in access.visible_subjects(user, scheme)}
    items = (
        RectificationItem.objects.filter(
            scheme_id=scheme.previous_id,
            status__in=OPEN_STATUSES,
            subject__unit_id__in=list(subjects),
        )
        .select_related("subject__unit")
        .order_by("subject__order", "deadline")
    )
    grouped: dict[Subject, list[RectificationItem]] = {}
    for item in items:
        grouped.setdefault(subjects[item.subject.unit_id], []).append(item)
    return grouped
