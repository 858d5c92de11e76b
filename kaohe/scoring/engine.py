"""Pure scoring, ranking and grading over plain data (no database, no Django).

The rules (DESIGN.md "Scoring rules", docs/scoring.md):
- every value is a Decimal; only the final total is rounded, to 2 places, half up;
- a component score is the sum of its applicable leaf scores, scaled to 100 when the
  applicable maximum for the subject's category is not 100;
- total = Σ weight% × component + min(bonus, cap) − min(penalty, cap), kept in [0, 100 + cap];
- ranking per grading category, total descending, tie-break on listed components, then
  equal rank (competition ranking 1, 2, 2, 4);
- grade from thresholds, capped by vetoes, then limited by quotas in rank order.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_FLOOR, Decimal, localcontext

from kaohe.common.decimals import round_half_up

ZERO = Decimal("0")
HUNDRED = Decimal("100")
CENT = Decimal("0.01")
MAX_VALUE = Decimal("999999.99")  # what the score column holds
EXACT_PLACES = Decimal("1E-10")
PRECISION = 50

ENTERED = "entered"
DEDUCTION = "deduction"
CHECKLIST = "checklist"
DERIVED = "derived"
BONUS = "bonus"
PENALTY = "penalty"
VETO = "veto"
COMPONENT_METHODS = frozenset({ENTERED, DEDUCTION, CHECKLIST, DERIVED})
UNGRADED = "未定等次"


def round_total(value: Decimal) -> Decimal:
    """The one rounding in the whole computation: 2 places, half up (89.995 → 90.00)."""
    return round_half_up(value, CENT)


@dataclass(frozen=True)
class Leaf:
    """A leaf indicator as the engine needs it."""

    id: int
    component: str
    method: str
    max_score: Decimal
    applies_to: frozenset = frozenset()
    veto_grade: str = ""
    code: str = ""

    def applies(self, unit_category) -> bool:
        return not self.applies_to or unit_category in self.applies_to


def leaf_from_indicator(indicator, applies_to: frozenset = frozenset()) -> Leaf:
    """The engine's view of one leaf indicator row — the one place this mapping is written.

    Duck-typed (reads pk, component, method, max_score, veto_grade, code) so the engine stays
    free of Django while every caller, including rule checks in `schemes`, builds leaves alike.
    """
    component = getattr(indicator, "component", None) if indicator.component_id else None
    return Leaf(
        id=indicator.pk,
        component=component.code if component is not None else "",
        method=indicator.method,
        max_score=indicator.max_score or ZERO,
        applies_to=applies_to,
        veto_grade=indicator.veto_grade,
        code=indicator.code,
    )


def points_lost(leaf: Leaf, value: Decimal | None) -> Decimal:
    """Points a stored value costs the subject: max − score for component leaves, the value
    itself for a penalty item, nothing for bonus and veto. Unscored leaves lose nothing yet."""
    if value is None:
        return ZERO
    if leaf.method == PENALTY:
        return value
    if leaf.method not in COMPONENT_METHODS:
        return ZERO
    return leaf.max_score - leaf_score(leaf, value)


def is_deduction(leaf: Leaf) -> bool:
    """Whether points lost on this leaf are a deduction (扣分) rather than a lower mark."""
    return leaf.method in (DEDUCTION, PENALTY, CHECKLIST)


@dataclass(frozen=True)
class GradeRule:
    name: str
    min_total: Decimal
    quota_percent: Decimal | None = None


@dataclass(frozen=True)
class Rules:
    """The scheme's scoring rules: weights (percent) by component code, caps, tie-break, grades.

    `grades` maps a grading category id (or None for the scheme default) to its levels,
    best first.
    """

    weights: Mapping[str, Decimal]
    bonus_cap: Decimal = ZERO
    penalty_cap: Decimal = ZERO
    tie_break: Sequence[str] = ("onsite", "daily")
    grades: Mapping[object, Sequence[GradeRule]] = field(default_factory=dict)

    def grades_for(self, grading_category) -> Sequence[GradeRule]:
        return self.grades.get(grading_category) or self.grades.get(None) or ()


@dataclass(frozen=True)
class SubjectInput:
    id: int
    unit_category: object
    grading_category: object
    values: Mapping[int, Decimal]
    order: int = 0


@dataclass(frozen=True)
class ComponentScore:
    code: str
    raw: Decimal
    maximum: Decimal
    score: Decimal  # exact, scaled to 100 when needed


@dataclass(frozen=True)
class SubjectScore:
    subject_id: int
    grading_category: object
    components: Mapping[str, ComponentScore]
    bonus: Decimal
    penalty: Decimal
    exact_total: Decimal
    total: Decimal
    vetoes: tuple[tuple[int, str], ...]
    missing: tuple[int, ...]
    order: int = 0


@dataclass(frozen=True)
class Placement:
    subject_id: int
    rank: int
    grade: str
    reason: str


class ScoreValueError(ValueError):
    """A value outside what the leaf's method allows; the message is for the user."""


def check_value(leaf: Leaf, value: Decimal) -> None:
    """Refuse values the method does not allow, with a message naming the range."""
    if not isinstance(value, Decimal) or not value.is_finite():
        raise ScoreValueError("分值必须是数字。")
    if value < ZERO:
        raise ScoreValueError("分值不能为负数。")
    if value > MAX_VALUE:  # before quantize: 1e999 or 400 digits would overflow it
        raise ScoreValueError(f"分值过大（不能超过 {MAX_VALUE}）。")
    if value != value.quantize(CENT):
        raise ScoreValueError(f"分值 {value} 最多保留两位小数。")
    if leaf.method == VETO:
        if value not in (ZERO, Decimal(1)):
            raise ScoreValueError("一票否决项只能填 0（未触发）或 1（触发）。")
        return
    if leaf.method == DEDUCTION:
        return  # any deduction is allowed; the score is floored at 0
    if value > leaf.max_score:
        raise ScoreValueError(f"分值 {value} 超出范围：应在 0 到 {leaf.max_score} 之间。")


def leaf_score(leaf: Leaf, value: Decimal | None) -> Decimal:
    """The score a stored value is worth under the leaf's method (missing → its default)."""
    if leaf.method == DEDUCTION:
        deducted = ZERO if value is None else value
        return max(ZERO, leaf.max_score - deducted)
    return ZERO if value is None else value


def score_subject(leaves: Iterable[Leaf], rules: Rules, subject: SubjectInput) -> SubjectScore:
    with localcontext() as ctx:
        ctx.prec = PRECISION
        raw: dict[str, Decimal] = dict.fromkeys(rules.weights, ZERO)
        maximum: dict[str, Decimal] = dict.fromkeys(rules.weights, ZERO)
        bonus = penalty = ZERO
        vetoes: list[tuple[int, str]] = []
        missing: list[int] = []
        for leaf in leaves:
            if not leaf.applies(subject.unit_category):
                continue
            value = subject.values.get(leaf.id)
            if leaf.method in COMPONENT_METHODS:
                if value is None and leaf.method != DEDUCTION:
                    missing.append(leaf.id)
                raw[leaf.component] = raw.get(leaf.component, ZERO) + leaf_score(leaf, value)
                maximum[leaf.component] = maximum.get(leaf.component, ZERO) + leaf.max_score
            elif leaf.method == BONUS:
                bonus += leaf_score(leaf, value)
            elif leaf.method == PENALTY:
                penalty += leaf_score(leaf, value)
            elif leaf.method == VETO and value is not None and value > ZERO:
                vetoes.append((leaf.id, leaf.veto_grade))
    return combine(rules, subject, raw, maximum, bonus, penalty, tuple(vetoes), tuple(missing))


def combine(
    rules: Rules,
    subject: SubjectInput,
    raw: Mapping[str, Decimal],
    maximum: Mapping[str, Decimal],
    bonus: Decimal,
    penalty: Decimal,
    vetoes: tuple = (),
    missing: tuple = (),
) -> SubjectScore:
    """A subject's score from its sums per component (raw and applicable maximum), bonus and
    penalty: scaling, weights, caps and the one rounding. The database path
    (aggregate.py) sums in SQL and calls this too."""
    with localcontext() as ctx:
        ctx.prec = PRECISION
        components = {}
        weighted = ZERO
        for code, weight in rules.weights.items():
            top = maximum.get(code, ZERO)
            got = raw.get(code, ZERO)
            if top == ZERO:
                score = ZERO
            elif top == HUNDRED:
                score = got
            else:
                score = got * HUNDRED / top
            components[code] = ComponentScore(code, got, top, score)
            weighted += weight * score / HUNDRED
        bonus_used = min(bonus, rules.bonus_cap)
        penalty_used = min(penalty, rules.penalty_cap)
        exact = weighted + bonus_used - penalty_used
        exact = min(max(exact, ZERO), HUNDRED + rules.bonus_cap)
    return SubjectScore(
        subject_id=subject.id,
        grading_category=subject.grading_category,
        components=components,
        bonus=bonus_used,
        penalty=penalty_used,
        exact_total=exact,
        total=round_total(exact),
        vetoes=vetoes,
        missing=missing,
        order=subject.order,
    )


def _rank_key(score: SubjectScore, tie_break: Sequence[str]) -> tuple:
    keys = [score.total]
    for code in tie_break:
        component = score.components.get(code)
        keys.append(round_total(component.score) if component else ZERO)
    return tuple(keys)


def rank_scores(scores: Sequence[SubjectScore], tie_break: Sequence[str]) -> dict[int, int]:
    """Competition ranking (1, 2, 2, 4) of one grading category."""
    keys = {s.subject_id: _rank_key(s, tie_break) for s in scores}
    ordered = sorted(
        scores, key=lambda s: (keys[s.subject_id], -s.order, -s.subject_id), reverse=True
    )
    ranks: dict[int, int] = {}
    previous = None
    for position, score in enumerate(ordered, start=1):
        key = keys[score.subject_id]
        if key != previous:
            rank = position
            previous = key
        ranks[score.subject_id] = rank
    return ranks


def _threshold_index(levels: Sequence[GradeRule], total: Decimal) -> int | None:
    for index, level in enumerate(levels):
        if total >= level.min_total:
            return index
    return None


def _quota_capacity(levels: Sequence[GradeRule], count: int) -> dict[int, int]:
    """Places each quota-limited level has among `count` subjects (rounded down)."""
    capacity = {}
    for index, level in enumerate(levels):
        if level.quota_percent is not None:
            capacity[index] = int(
                (Decimal(count) * level.quota_percent / HUNDRED).to_integral_value(
                    rounding=ROUND_FLOOR
                )
            )
    return capacity


def _wanted_level(
    score: SubjectScore, levels: Sequence[GradeRule], names: list[str]
) -> tuple[int, str] | None:
    """The level a subject's total reaches, lowered by its vetoes; None below every level."""
    index = _threshold_index(levels, score.total)
    if index is None:
        return None
    reason = f"总分 {score.total} ≥ {levels[index].min_total} → {names[index]}"
    for _leaf_id, cap in score.vetoes:
        # An unknown grade name cannot be "above" anything: treat it as the lowest.
        cap_index = names.index(cap) if cap in names else len(names) - 1
        if cap_index > index:
            index = cap_index
            reason += f"；一票否决，最高为{names[cap_index]}"
    return index, reason


def _place_group(
    size: int,
    index: int,
    levels: Sequence[GradeRule],
    capacity: dict[int, int],
    used: dict[int, int],
) -> tuple[int, str]:
    """Level a tie group of `size` wanting `index` gets under the quotas, and why it fell."""
    names = [level.name for level in levels]
    target = index
    notes = ""
    while target in capacity and used[target] + size > capacity[target]:
        notes += (
            f"；{names[target]}名额上限 {levels[target].quota_percent.normalize():f}%"
            f"（{capacity[target]} 个）已满，降为下一等次"
        )
        # Close the level: nobody ranked lower may take a place a tie group gave up.
        capacity[target] = used[target]
        if target + 1 >= len(levels):
            break
        target += 1
    used[target] += size
    return target, notes


def grade_scores(
    scores: Sequence[SubjectScore], ranks: Mapping[int, int], levels: Sequence[GradeRule]
) -> dict[int, tuple[str, str]]:
    """Grade one category: threshold, then veto cap, then quotas taken in rank order.

    A tie group that would overflow a quota falls to the next grade as a whole, so a
    quota is never exceeded ("at most 30%"), and the level is then closed so that no
    lower-ranked subject gets a better grade than a higher-ranked one.
    """
    result: dict[int, tuple[str, str]] = {}
    if not levels:
        return {s.subject_id: (UNGRADED, "方案未设置等次规则") for s in scores}
    names = [level.name for level in levels]
    capacity = _quota_capacity(levels, len(scores))
    used = dict.fromkeys(range(len(levels)), 0)
    groups: dict[int, list[SubjectScore]] = {}
    for score in scores:
        groups.setdefault(ranks[score.subject_id], []).append(score)
    for rank in sorted(groups):
        wanted: dict[int, list[tuple[SubjectScore, str]]] = {}
        for score in groups[rank]:
            found = _wanted_level(score, levels, names)
            if found is None:
                result[score.subject_id] = (UNGRADED, f"总分 {score.total} 低于所有等次的最低分")
                continue
            wanted.setdefault(found[0], []).append((score, found[1]))
        for index in sorted(wanted):
            members = wanted[index]
            target, notes = _place_group(len(members), index, levels, capacity, used)
            for score, reason in members:
                final_reason = reason + notes
                if target != index:
                    final_reason += f" → {names[target]}"
                result[score.subject_id] = (names[target], final_reason)
    return result


def compute_results(
    leaves: Sequence[Leaf], rules: Rules, subjects: Iterable[SubjectInput]
) -> tuple[list[SubjectScore], dict[int, Placement]]:
    """Score every subject, then rank and grade each grading category."""
    scores = [score_subject(leaves, rules, subject) for subject in subjects]
    return scores, place_scores(scores, rules)


def place_scores(scores: Sequence[SubjectScore], rules: Rules) -> dict[int, Placement]:
    """Rank and grade each grading category."""
    by_category: dict[object, list[SubjectScore]] = {}
    for score in scores:
        by_category.setdefault(score.grading_category, []).append(score)
    placements: dict[int, Placement] = {}
    for category, members in by_category.items():
        ranks = rank_scores(members, rules.tie_break)
        grades = grade_scores(members, ranks, rules.grades_for(category))
        for score in members:
            grade, reason = grades[score.subject_id]
            placements[score.subject_id] = Placement(
                score.subject_id, ranks[score.subject_id], grade, reason
            )
    return placements
