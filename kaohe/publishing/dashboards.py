"""Figures for the dashboards: every chart is a table first (rows for the page and Excel).

Charts are drawn in the browser by static/publishing/charts.js from the same rows, so the
numbers on a chart, in its table and in the Excel export are one and the same.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from kaohe.common.excel import Sheet
from kaohe.schemes.models import GradeLevel, Scheme, Subject
from kaohe.scoring import engine
from kaohe.scoring.models import ComponentResult, SubjectResult

BIN_WIDTH = 5
MAX_YEARS = 5
NOT_PLOTTED = ("名次", "较上年变化")  # msgids: compared with headers in the page's language


@dataclass
class Chart:
    """One chart: its kind (bar/line/grouped), a title, table headers and rows."""

    key: str
    title: str
    kind: str
    headers: list[str]
    rows: list[list] = field(default_factory=list)

    def echarts(self) -> dict:
        """Plain data for charts.js: categories on x, one series per remaining column."""
        return {
            "kind": self.kind,
            "title": self.title,
            "x": [str(r[0]) for r in self.rows],
            "series": [
                {"name": h, "data": [_num(r[i]) for r in self.rows]}
                for i, h in enumerate(self.headers[1:], start=1)
                if all(r[i] is None or isinstance(r[i], (int, Decimal)) for r in self.rows)
                and h not in {_(t) for t in NOT_PLOTTED}
            ],
        }

    def sheet(self) -> Sheet:
        return Sheet(self.title, self.headers, self.rows)


def _num(value):
    if value is None or value == "":
        return None
    if isinstance(value, Decimal):
        return float(value)  # chart coordinates only; tables and Excel keep the Decimal
    return value


def _results(scheme: Scheme):
    return list(
        SubjectResult.objects.filter(scheme=scheme)
        .select_related("subject__unit", "grading_category")
        .order_by("grading_category__order", "rank", "subject__order")
    )


def _bins(totals: list[Decimal]) -> list[tuple[str, int, int]]:
    # From the lowest bin used; a total of exactly 100 counts in the 95–100 bin.
    low = min(min(int(t) // BIN_WIDTH * BIN_WIDTH for t in totals), 100 - BIN_WIDTH)
    edges = list(range(low, 100, BIN_WIDTH))
    return [(f"{e}–{e + BIN_WIDTH}", e, e + BIN_WIDTH) for e in edges]


def histogram(results) -> Chart:
    categories = list(dict.fromkeys(r.grading_category.name for r in results))
    chart = Chart("histogram", _("总分分布（按评定组别）"), "bar", [_("分数段"), *categories])
    bins = _bins([r.total for r in results]) if results else []
    for label, low, high in bins:
        row = [label]
        for name in categories:
            row.append(
                sum(
                    1
                    for r in results
                    if r.grading_category.name == name
                    and low <= r.total < high + (1 if high == 100 else 0)
                )
            )
        chart.rows.append(row)
    return chart


def grade_counts(scheme: Scheme, results) -> Chart:
    grades = list(
        dict.fromkeys(
            GradeLevel.objects.filter(scheme=scheme)
            .order_by("order", "-min_total")
            .values_list("name", flat=True)
        )
    )
    grades += sorted({r.grade for r in results} - set(grades))
    categories = list(dict.fromkeys(r.grading_category.name for r in results))
    chart = Chart("grades", _("等次分布"), "bar", [_("评定组别"), *grades])
    for name in categories:
        in_cat = [r for r in results if r.grading_category.name == name]
        chart.rows.append([name, *[sum(1 for r in in_cat if r.grade == g) for g in grades]])
    return chart


def component_comparison(scheme: Scheme, results) -> Chart:
    components = list(scheme.components.order_by("order", "id"))
    chart = Chart(
        "components",
        _("各考核类别平均得分（百分制）"),
        "bar",
        [_("评定组别"), *[c.name for c in components]],
    )
    sums: dict[str, dict[int, list[Decimal]]] = defaultdict(lambda: defaultdict(list))
    names = {r.pk: r.grading_category.name for r in results}
    for cr in ComponentResult.objects.filter(result__scheme=scheme):
        if cr.result_id in names:
            sums[names[cr.result_id]][cr.component_id].append(cr.score)
    for name in dict.fromkeys(names.values()):
        row = [name]
        for c in components:
            values = sums[name][c.pk]
            row.append(engine.round_total(sum(values) / len(values)) if values else None)
        chart.rows.append(row)
    return chart


def scheme_chain(scheme: Scheme) -> list[Scheme]:
    """This scheme and its predecessors (Scheme.previous), oldest first, at most MAX_YEARS."""
    chain, seen, current = [], set(), scheme
    while current is not None and current.pk not in seen and len(chain) < MAX_YEARS:
        chain.append(current)
        seen.add(current.pk)
        current = current.previous
    return list(reversed(chain))


def year_over_year(scheme: Scheme) -> Chart:
    chain = scheme_chain(scheme)
    years = [s.year for s in chain]
    totals: dict[int, dict[int, Decimal]] = defaultdict(dict)
    names: dict[int, str] = {}
    for s in chain:
        for unit_id, name, total in SubjectResult.objects.filter(scheme=s).values_list(
            "subject__unit_id", "subject__unit__name", "total"
        ):
            totals[unit_id][s.year] = total
            names[unit_id] = name
    headers = [_("单位"), *[_("%(year)s年") % {"year": y} for y in years], _("较上年变化")]
    chart = Chart("yoy", _("历年总分（连续参加考核的单位）"), "bar", headers)
    for unit_id, by_year in totals.items():
        if len(by_year) < 2 or scheme.year not in by_year:
            continue
        prior = [y for y in years if y in by_year and y < scheme.year]
        change = by_year[scheme.year] - by_year[prior[-1]] if prior else None
        chart.rows.append([names[unit_id], *[by_year.get(y) for y in years], change])
    chart.rows.sort(key=lambda r: (r[-1] is None, -(r[-1] or 0)))
    return chart


def ranking(results, components) -> Chart:
    headers = [
        _("评定组别"),
        _("名次"),
        _("单位"),
        *[c.name for c in components],
        _("总分"),
        _("等次"),
    ]
    chart = Chart("ranking", _("排名表"), "table", headers)
    scores: dict[int, dict[int, Decimal]] = defaultdict(dict)
    for cr in ComponentResult.objects.filter(result__in=[r.pk for r in results]):
        scores[cr.result_id][cr.component_id] = engine.round_total(cr.score)
    for r in results:
        chart.rows.append(
            [
                r.grading_category.name,
                r.rank,
                r.subject.unit.name,
                *[scores[r.pk].get(c.pk) for c in components],
                r.total,
                r.grade,
            ]
        )
    return chart


def office_dashboard(scheme: Scheme) -> list[Chart]:
    """The office's charts, cached on the results' computation time (the page is for the
    scheme's office only, so every viewer who reaches it sees the same charts)."""
    from kaohe.common.cached import cached_part, part_key

    return cached_part(
        part_key("dashboard", office_dashboard_key(scheme)), lambda: _office_dashboard(scheme)
    )


def office_dashboard_key(scheme: Scheme) -> tuple:
    """Everything the office's charts show: the scheme's state, its results, the language."""
    from django.utils.translation import get_language

    from kaohe.scoring.selectors import results_stamp

    return (scheme.pk, scheme.status, results_stamp(scheme), get_language())


def _office_dashboard(scheme: Scheme) -> list[Chart]:
    results = _results(scheme)
    components = list(scheme.components.order_by("order", "id"))
    return [
        histogram(results),
        grade_counts(scheme, results),
        component_comparison(scheme, results),
        year_over_year(scheme),
        ranking(results, components),
    ]


def unit_dashboard(subject: Subject) -> list[Chart]:
    """The unit against its category's average, and its own totals over the years."""
    scheme = subject.scheme
    components = list(scheme.components.order_by("order", "id"))
    mine = {
        cr.component_id: engine.round_total(cr.score)
        for cr in ComponentResult.objects.filter(result__subject=subject)
    }
    pool: dict[int, list[Decimal]] = defaultdict(list)
    for cr in ComponentResult.objects.filter(
        result__scheme=scheme, result__grading_category_id=subject.grading_category_id
    ):
        pool[cr.component_id].append(cr.score)
    versus = Chart(
        "versus", _("本单位与组别平均"), "bar", [_("考核类别"), _("本单位"), _("组别平均")]
    )
    for c in components:
        values = pool[c.pk]
        average = engine.round_total(sum(values) / len(values)) if values else None
        versus.rows.append([c.name, mine.get(c.pk), average])
    result = SubjectResult.objects.filter(subject=subject).first()
    totals = [
        r.total
        for r in SubjectResult.objects.filter(
            scheme=scheme, grading_category_id=subject.grading_category_id
        )
    ]
    if result is not None and totals:
        versus.rows.append([_("总分"), result.total, engine.round_total(sum(totals) / len(totals))])
    history = Chart(
        "history", _("本单位历年成绩"), "line", [_("年度"), _("总分"), _("名次"), _("等次")]
    )
    for s in scheme_chain(scheme):
        past = (
            SubjectResult.objects.filter(scheme=s, subject__unit_id=subject.unit_id)
            .values_list("total", "rank", "grade")
            .first()
        )
        if past:
            history.rows.append([_("%(year)s年") % {"year": s.year}, past[0], past[1], past[2]])
    return [versus, history]
