"""Reads of results: ranking tables per grading category and the trace of one subject."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch

from kaohe.schemes import access
from kaohe.schemes.models import Indicator, Scheme, ScoreEntry, Subject

from . import engine
from .loading import load_leaves, load_rules, scorable_leaves
from .models import ComponentResult, SubjectResult


@dataclass
class CategoryTable:
    category: object
    rows: list = field(default_factory=list)


def results_tables(*, user, scheme: Scheme, category_id: int | None = None) -> list[CategoryTable]:
    """Ranking tables (rank, unit, component scores, total, grade), one per grading category.

    The office sees every row; a team sees its own subjects' rows; a unit user sees only its
    own rows, and only once results are published. Fixed query count whatever the number of subjects.
    """
    results = (
        SubjectResult.objects.filter(scheme=scheme)
        .select_related("subject__unit", "grading_category")
        .prefetch_related(
            Prefetch("components", queryset=ComponentResult.objects.order_by("component__order"))
        )
        .order_by("grading_category__order", "rank", "subject__order")
    )
    if category_id is not None:
        results = results.filter(grading_category_id=category_id)
    if not access.can_view_all_subjects(user, scheme):
        # Teams see their own subjects' results while working; units only once published.
        is_team = access.is_team_of_scheme(user, scheme)
        if not is_team and not scheme.results_published:
            return []
        results = results.filter(subject__in=access.visible_subjects(user, scheme).values("pk"))
    tables: dict[int, CategoryTable] = {}
    for result in results:
        table = tables.setdefault(
            result.grading_category_id, CategoryTable(result.grading_category)
        )
        result.component_scores = [engine.round_total(c.score) for c in result.components.all()]
        table.rows.append(result)
    return list(tables.values())


@dataclass
class LeafLine:
    indicator: Indicator
    applies: bool
    entry: ScoreEntry | None
    score: Decimal | None


@dataclass
class ComponentTrace:
    component: object
    lines: list
    raw: Decimal
    maximum: Decimal
    score: Decimal
    scaled: bool
    weighted: Decimal


@dataclass
class SubjectTrace:
    subject: Subject
    components: list
    extras: list  # bonus, penalty and veto lines
    score: engine.SubjectScore
    rules: engine.Rules
    result: SubjectResult | None
    stale: bool


def subject_trace(*, subject: Subject) -> SubjectTrace:
    """How every number of one subject was made: leaf → component → total → rank → grade."""
    scheme = subject.scheme
    leaves = load_leaves(scheme)
    rules = load_rules(scheme)
    entries = {
        e.indicator_id: e
        for e in ScoreEntry.objects.filter(subject=subject).select_related("entered_by")
    }
    subject_input = engine.SubjectInput(
        id=subject.pk,
        unit_category=subject.unit_category_id,
        grading_category=subject.grading_category_id,
        values={k: e.value for k, e in entries.items()},
        order=subject.order,
    )
    score = engine.score_subject(leaves, rules, subject_input)
    indicators = {
        i.pk: i
        for i in Indicator.objects.filter(pk__in=[leaf.id for leaf in leaves]).select_related(
            "component", "parent"
        )
    }
    by_component: dict[str, list[LeafLine]] = {}
    extras: list[LeafLine] = []
    for leaf in leaves:
        applies = leaf.applies(subject.unit_category_id)
        entry = entries.get(leaf.id)
        value = entry.value if entry else None
        line = LeafLine(
            indicators[leaf.id], applies, entry, engine.leaf_score(leaf, value) if applies else None
        )
        if leaf.method in engine.COMPONENT_METHODS:
            by_component.setdefault(leaf.component, []).append(line)
        else:
            extras.append(line)
    components = []
    for component in scheme.components.order_by("order"):
        c = score.components.get(component.code)
        components.append(
            ComponentTrace(
                component=component,
                lines=by_component.get(component.code, []),
                raw=c.raw,
                maximum=c.maximum,
                score=c.score,
                scaled=c.maximum not in (engine.ZERO, engine.HUNDRED),
                weighted=component.weight * c.score / engine.HUNDRED,
            )
        )
    result = SubjectResult.objects.filter(subject=subject).first()
    return SubjectTrace(subject, components, extras, score, rules, result, scheme.results_stale)


def score_sheet(*, subject: Subject):
    """Leaves of the subject's scheme with their current entries, for the entry form."""
    entries = {
        e.indicator_id: e
        for e in ScoreEntry.objects.filter(subject=subject).select_related("entered_by")
    }
    leaves = (
        scorable_leaves(subject.scheme)
        .applying_to(subject)
        .select_related("component", "parent")
        .order_by("component__order", "code")
    )
    return [(leaf, entries.get(leaf.pk)) for leaf in leaves]
