"""Reads of results: ranking tables per grading category and the trace of one subject."""

import hashlib
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import F, OuterRef, Prefetch
from django.http import Http404
from django.utils.formats import date_format
from django.utils.timezone import localtime

from kaohe.schemes import access
from kaohe.schemes.models import Indicator, Scheme, ScoreEntry, Subject

from . import engine
from .loading import engine_leaf, load_rules, scorable_leaves
from .models import ComponentResult, SubjectResult


@dataclass
class CategoryTable:
    category: object
    rows: list = field(default_factory=list)


def _results_scope(user, scheme: Scheme, category_id: int | None):
    """The viewer's results queryset and an access key naming exactly what it covers
    (None: nothing to show). Two viewers share a cached table only with the same key."""
    results = SubjectResult.objects.filter(scheme=scheme)
    if category_id is not None:
        results = results.filter(grading_category_id=category_id)
    if access.can_view_all_subjects(user, scheme):
        return results, "all"
    # Teams see their own subjects' results while working; units only once published.
    is_team = access.is_team_of_scheme(user, scheme)
    if not is_team and not scheme.results_published:
        return None, None
    ids = access.visible_subject_ids(user, scheme)
    digest = hashlib.sha256(",".join(map(str, ids)).encode()).hexdigest()[:32]
    return results.filter(subject_id__in=ids), f"subjects:{digest}"


def access_trace(user, pk) -> Subject:
    """A subject whose trace the user may read: its scorers always, its own unit only once
    results are published; otherwise the same 404 as a missing subject."""
    subject = access.access_subject(user, pk)
    if not access.can_score_subject(user, subject) and not subject.scheme.results_published:
        raise Http404("结果尚未公布")
    return subject


def results_rows(*, user, scheme: Scheme, category_id: int | None = None):
    """The stored result rows the user may see (results_tables' scope), ranked per category,
    as a queryset a caller can page through (the REST API)."""
    results, _key = _results_scope(user, scheme, category_id)
    if results is None:
        return SubjectResult.objects.none()
    return (
        results.select_related("subject__unit", "grading_category")
        .prefetch_related(
            Prefetch("components", queryset=ComponentResult.objects.order_by("component__order"))
        )
        .order_by("grading_category__order", "rank", "subject__order")
    )


def with_component_scores(result):
    """The result with its component scores rounded (components prefetched by results_rows)."""
    result.component_scores = [engine.round_total(c.score) for c in result.components.all()]
    return result


def results_tables(*, user, scheme: Scheme, category_id: int | None = None) -> list[CategoryTable]:
    """Ranking tables (rank, unit, component scores, total, grade), one per grading category.

    The office sees every row; a team sees its own subjects' rows; a unit user sees only its
    own rows, and only once results are published. Rows are plain dicts with numbers already
    formatted (no model instances, no template filters). Fixed query count.
    """
    results, _key = _results_scope(user, scheme, category_id)
    if results is None:
        return []
    return _tables(scheme, results)


def _tables(scheme: Scheme, results) -> list[CategoryTable]:
    rows = list(
        results.order_by("grading_category__order", "rank", "subject__order").values(
            "pk",
            "subject_id",
            "grading_category_id",
            "rank",
            "total",
            "bonus",
            "penalty",
            "grade",
            "grade_reason",
            "vetoed",
            "missing_count",
            unit_name=F("subject__unit__name"),
        )
    )
    scores: dict[int, list[str]] = {}
    for result_id, score in (
        ComponentResult.objects.filter(result__in=results)
        .order_by("result_id", "component__order")
        .values_list("result_id", "score")
    ):
        scores.setdefault(result_id, []).append(str(engine.round_total(score)))
    categories = dict(scheme.grading_categories.values_list("pk", "name"))
    tables: dict[int, CategoryTable] = {}
    for row in rows:
        table = tables.get(row["grading_category_id"])
        if table is None:
            name = categories.get(row["grading_category_id"], "")
            table = tables[row["grading_category_id"]] = CategoryTable({"name": name})
        for key in ("total", "bonus", "penalty"):
            row[key] = str(row[key])
        row["component_scores"] = scores.get(row["pk"], [])
        table.rows.append(row)
    return list(tables.values())


def results_stamp(scheme: Scheme) -> str:
    """Changes whenever a stored result of the scheme changes (a recompute writes only the
    rows that moved, each with its computation time) or a subject enters or leaves."""
    from kaohe.common.cached import stamp_row

    return "/".join(map(str, stamp_row("scoring.results", _results_stamp_query, scheme.pk)))


def _results_stamp_query(scheme_pk: int):
    from kaohe.common.cached import latest_and_count

    results = SubjectResult.objects.filter(scheme=OuterRef("pk"))
    return (
        Scheme.objects.filter(pk=scheme_pk)
        .annotate(**latest_and_count("r", results, "scheme", "computed_at"))
        .values_list("r_at", "r_n")
    )


@dataclass
class LeafLine:
    indicator: Indicator
    applies: bool
    entry: ScoreEntry | None
    score: Decimal | None
    # Formatted once here, not by template filters on every line.
    method: str = ""
    value: str = ""
    by: str = ""
    at: str = ""


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


def _line(indicator, leaf, applies: bool, entry) -> LeafLine:
    value = entry.value if entry else None
    line = LeafLine(indicator, applies, entry, engine.leaf_score(leaf, value) if applies else None)
    line.method = indicator.get_method_display()
    line.value = "" if value is None else str(value)
    if entry is not None:
        line.by = str(entry.entered_by) if entry.entered_by_id else entry.source_label
        line.at = date_format(localtime(entry.updated_at), "Y-m-d H:i")
    return line


def subject_trace(*, subject: Subject) -> SubjectTrace:
    """How every number of one subject was made: leaf → component → total → rank → grade."""
    scheme = subject.scheme
    # One query for the leaves serves both the engine and the lines.
    indicators = {
        i.pk: i
        for i in scorable_leaves(scheme)
        .select_related("component", "parent")
        .prefetch_related("applies_to")
        .order_by("component__order", "code")
    }
    leaves = [
        engine_leaf(i, frozenset(c.pk for c in i.applies_to.all())) for i in indicators.values()
    ]
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
    )
    score = engine.score_subject(leaves, rules, subject_input)
    by_component: dict[str, list[LeafLine]] = {}
    extras: list[LeafLine] = []
    for leaf in leaves:
        applies = leaf.applies(subject.unit_category_id)
        entry = entries.get(leaf.id)
        line = _line(indicators[leaf.id], leaf, applies, entry)
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
