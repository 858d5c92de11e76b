"""Recompute and store a scheme's results (load → pure engine → save)."""

from django.db import transaction
from django.utils import timezone

from kaohe.audit.services import audit_record
from kaohe.schemes.choices import SchemeStatus
from kaohe.schemes.models import Scheme

from .. import engine
from ..loading import load_leaves, load_rules, load_subjects
from ..models import ComponentResult, SubjectResult


def _q(value):
    return value.quantize(engine.EXACT_PLACES)


@transaction.atomic
def results_recompute(*, scheme: Scheme, actor=None, reason: str = "") -> int:
    """Compute every subject's results and replace the stored ones; audit what moved.

    Query count is fixed (it does not grow with the number of subjects).
    """
    scheme = Scheme.objects.select_for_update().get(pk=scheme.pk)
    leaves = load_leaves(scheme)
    rules = load_rules(scheme)
    subjects = load_subjects(scheme)
    scores, placements = engine.compute_results(leaves, rules, subjects)

    before = {
        subject_id: (str(total), rank, grade)
        for subject_id, total, rank, grade in SubjectResult.objects.filter(scheme=scheme)
        .order_by()
        .values_list("subject_id", "total", "rank", "grade")
    }
    component_ids = dict(scheme.components.values_list("code", "pk"))
    now = timezone.now()
    ComponentResult.objects.filter(result__scheme=scheme).delete()
    SubjectResult.objects.filter(scheme=scheme).delete()
    results = SubjectResult.objects.bulk_create(
        [
            SubjectResult(
                scheme=scheme,
                subject_id=s.subject_id,
                grading_category_id=s.grading_category,
                total=s.total,
                exact_total=_q(s.exact_total),
                bonus=s.bonus,
                penalty=s.penalty,
                rank=placements[s.subject_id].rank,
                grade=placements[s.subject_id].grade,
                grade_reason=placements[s.subject_id].reason,
                vetoed=bool(s.vetoes),
                missing_count=len(s.missing),
                computed_at=now,
            )
            for s in scores
        ],
        batch_size=2000,
    )
    ComponentResult.objects.bulk_create(
        [
            ComponentResult(
                result=result,
                component_id=component_ids[code],
                raw=_q(c.raw),
                maximum=_q(c.maximum),
                score=_q(c.score),
            )
            for result, s in zip(results, scores, strict=True)
            for code, c in s.components.items()
        ],
        batch_size=5000,
    )
    Scheme.objects.filter(pk=scheme.pk).update(results_stale=False)
    changes = {}
    for s in scores:
        after = (str(s.total), placements[s.subject_id].rank, placements[s.subject_id].grade)
        if before.get(s.subject_id) != after:
            changes[str(s.subject_id)] = {"before": before.get(s.subject_id), "after": after}
    if changes or not before:
        audit_record(
            action="results.recompute",
            actor=actor,
            obj=scheme,
            scheme_id=scheme.pk,
            after={"subjects": len(scores), "changed": changes},
            message=reason,
        )
    return len(scores)


def results_ensure_fresh(*, scheme: Scheme, actor=None) -> None:
    """Recompute when a score changed since the last computation.

    Never for a finalised scheme: its stored results are the published ones.
    """
    if (
        Scheme.objects.filter(pk=scheme.pk, results_stale=True)
        .exclude(status=SchemeStatus.FINAL)
        .exists()
    ):
        results_recompute(scheme=scheme, actor=actor, reason="成绩有变动，自动重算")
        scheme.results_stale = False
