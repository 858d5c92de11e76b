"""Reads for publishing, always given the user: own results, objections, downloads."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Case, IntegerField, Value, When
from django.http import Http404
from django.utils.translation import gettext as _

from kaohe.accounts.choices import Role
from kaohe.schemes import access
from kaohe.schemes.choices import SchemeStatus, ScoringMethod
from kaohe.schemes.models import Indicator, Scheme, ScoreEntry, Subject
from kaohe.scoring import engine
from kaohe.scoring.models import SubjectResult

from .choices import ObjectionStatus
from .models import Notice, Objection, ObjectionFile, ResultSnapshot


def results_visible(user, scheme: Scheme) -> bool:
    """Office and assessment teams always (access_subject limits teams to their subjects);
    a unit only from the public-notice period on."""
    return access.can_score(user, scheme) or scheme.results_published


def is_unit_of(user, subject: Subject) -> bool:
    return access.is_unit_of_subject(user, subject)


def own_subjects(user, scheme: Scheme):
    """The subjects of the scheme that belong to the user's own unit(s)."""
    return scheme.subjects.select_related("unit", "grading_category").filter(
        access.unit_q(user, Role.UNIT_USER, prefix="unit__")
    )


@dataclass
class LeafRow:
    indicator: Indicator
    value: Decimal | None
    score: Decimal | None
    note: str
    deducted: Decimal  # points deducted (deduction, checklist and penalty methods only; else 0)


@dataclass
class SubjectResults:
    subject: Subject
    result: SubjectResult | None
    components: list
    leaves: list[LeafRow]

    @property
    def deductions(self) -> list[LeafRow]:
        return [
            row
            for row in self.leaves
            if row.deducted > 0 or row.indicator.method == ScoringMethod.PENALTY
        ]


def subject_results(subject: Subject) -> SubjectResults:
    """Total, components, rank, grade and every applicable leaf with its score and reason."""
    result = (
        SubjectResult.objects.filter(subject=subject)
        .prefetch_related("components__component")
        .first()
    )
    leaves = (
        Indicator.objects.filter(scheme_id=subject.scheme_id, children__isnull=True)
        .applying_to(subject)
        .select_related("component", "parent")
        .order_by("component__order", "code")
    )
    entries = {e.indicator_id: e for e in ScoreEntry.objects.filter(subject=subject)}
    rows = []
    for ind in leaves:
        entry = entries.get(ind.pk)
        value = entry.value if entry else None
        leaf = engine.leaf_from_indicator(ind)
        score = engine.leaf_score(leaf, value) if value is not None else None
        # A lower mark on a directly scored item is not a deduction: show the score and note.
        lost = engine.points_lost(leaf, value) if engine.is_deduction(leaf) else engine.ZERO
        rows.append(LeafRow(ind, value, score, entry.note if entry else "", lost))
    components = list(result.components.all()) if result else []
    return SubjectResults(subject=subject, result=result, components=components, leaves=rows)


def objections_for_office(scheme: Scheme):
    pending_first = Case(
        When(status=ObjectionStatus.PENDING, then=Value(0)),
        default=Value(1),
        output_field=IntegerField(),
    )
    return (
        Objection.objects.filter(scheme=scheme)
        .select_related("subject__unit", "indicator", "filed_by", "decided_by")
        .annotate(pending_first=pending_first)
        .order_by("pending_first", "-created_at")
    )


def access_objection(user, pk) -> Objection:
    """The office of the scheme or the unit that filed it; 404 for anyone else."""
    objection = (
        Objection.objects.select_related(
            "scheme__owner_unit", "subject__unit", "indicator", "filed_by", "decided_by"
        )
        .filter(pk=pk)
        .first()
    )
    if objection is None or not (
        access.can_manage_scheme(user, objection.scheme) or is_unit_of(user, objection.subject)
    ):
        raise Http404(_("复核申请不存在"))
    return objection


def access_objection_file(user, pk) -> ObjectionFile:
    stored = ObjectionFile.objects.filter(pk=pk).values_list("objection_id", flat=True).first()
    if stored is None:
        raise Http404(_("文件不存在"))
    access_objection(user, stored)
    return ObjectionFile.objects.get(pk=pk)


def access_published_notice(user, scheme_pk) -> Notice:
    """The published notice: the office, and units that are subjects of the scheme."""
    notice = Notice.objects.select_related("scheme__owner_unit").filter(scheme_id=scheme_pk).first()
    if notice is None or not notice.published_file:
        raise Http404(_("通报未发布"))
    scheme = notice.scheme
    if not (access.can_manage_scheme(user, scheme) or own_subjects(user, scheme).exists()):
        raise Http404(_("通报未发布"))
    return notice


@dataclass
class Change:
    unit: str
    category: str
    frozen: dict
    now: dict


def changes_since_freeze(scheme: Scheme) -> list[Change]:
    """Subjects whose total, rank or grade differ from the snapshot taken at freezing."""
    snapshot = ResultSnapshot.objects.filter(scheme=scheme, reason="冻结").first()
    if snapshot is None:
        return []
    changes = []
    rows = SubjectResult.objects.filter(scheme=scheme).select_related(
        "subject__unit", "grading_category"
    )
    for r in rows.order_by("grading_category__order", "rank"):
        before = snapshot.data.get(str(r.subject_id))
        now = {"total": str(r.total), "rank": r.rank, "grade": r.grade}
        if before and any(before[k] != now[k] for k in now):
            changes.append(Change(r.subject.unit.name, r.grading_category.name, before, now))
    return changes


def finalise_refusal(scheme: Scheme, today=None) -> str:
    """Why 定稿 is not allowed now ("" when it is): the one rule the page and the service use."""
    from django.utils import timezone

    today = today or timezone.localdate()
    if scheme.status != SchemeStatus.PUBLICITY:
        return _("方案当前状态为“%(status)s”，须公示期满后定稿。") % {
            "status": scheme.get_status_display()
        }
    if scheme.notice_end is None:
        return _("尚未设定公示期，不能定稿。")
    if scheme.notice_end >= today:
        return _("公示期至 %(end)s，尚未结束，不能定稿（如需提前结束，请先修改公示期）。") % {
            "end": f"{scheme.notice_end:%Y-%m-%d}"
        }
    pending = scheme.objections.filter(status=ObjectionStatus.PENDING).count()
    if pending:
        return _("还有 %(n)d 件复核申请未处理，不能定稿。") % {"n": pending}
    return ""
