"""Ranking per grading category and grading with thresholds, vetoes and quotas."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from decimal import ROUND_FLOOR, Decimal
from operator import itemgetter

from .basics import HUNDRED, UNGRADED, ZERO, Leaf, round_total
from .data import GradeRule, Placement, Rules, SubjectInput, SubjectScore
from .reasons import (
    REASON_BELOW,
    REASON_NO_LEVELS,
    REASON_QUOTA,
    REASON_SEPARATOR,
    REASON_TOTAL,
    REASON_VETO,
)
from .scores import score_subject


def _rank_key(score: SubjectScore, tie_break: Sequence[str]) -> tuple:
    keys = [score.total]
    for code in tie_break:
        component = score.components.get(code)
        keys.append(round_total(component.score) if component else ZERO)
    return tuple(keys)


def rank_scores(scores: Sequence[SubjectScore], tie_break: Sequence[str]) -> dict[int, int]:
    """Competition ranking (1, 2, 2, 4) of one grading category.

    A rank is one more than the number of subjects with a better key, so only the keys are
    sorted: how equal keys are ordered among themselves cannot change a rank."""
    keyed = [(_rank_key(s, tie_break), s.subject_id) for s in scores]
    keyed.sort(key=itemgetter(0), reverse=True)
    ranks: dict[int, int] = {}
    previous = None
    for position, (key, subject_id) in enumerate(keyed, start=1):
        if key != previous:
            rank = position
            previous = key
        ranks[subject_id] = rank
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
    reason = REASON_TOTAL % {
        "total": score.total,
        "minimum": levels[index].min_total,
        "grade": names[index],
    }
    for _leaf_id, cap in score.vetoes:
        # An unknown grade name cannot be "above" anything: treat it as the lowest.
        cap_index = names.index(cap) if cap in names else len(names) - 1
        if cap_index > index:
            index = cap_index
            reason += REASON_SEPARATOR + REASON_VETO % {"grade": names[cap_index]}
    return index, reason


def _place_group(
    size: int,
    index: int,
    levels: Sequence[GradeRule],
    capacity: dict[int, int],
    used: dict[int, int],
) -> tuple[int, str]:
    """Level a tie group of `size` wanting `index` gets under the quotas, and why it fell."""
    target = index
    notes = ""
    while target in capacity and used[target] + size > capacity[target]:
        notes += REASON_SEPARATOR + REASON_QUOTA % {
            "grade": levels[target].name,
            "quota": format(levels[target].quota_percent.normalize(), "f"),
            "places": capacity[target],
        }
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
        return {s.subject_id: (UNGRADED, REASON_NO_LEVELS) for s in scores}
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
                result[score.subject_id] = (UNGRADED, REASON_BELOW % {"total": score.total})
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
