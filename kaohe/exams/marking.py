"""Pure marking rules (Decimal only, no database): objective questions and unit results.

Responses are what the examinee gave, in the question's own letters (option shuffling is
undone before a response is stored): "A" (single), "AC" (multiple), "T"/"F" (true/false),
a list of texts, one per blank (fill-in), free text (short answer, marked by a person).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

ZERO, CENT, HUNDRED = Decimal("0"), Decimal("0.01"), Decimal("100")
_SPACES = re.compile(r"\s+")
_TRAILING = re.compile(r"[。．.，,；;、]+$")


def q2(value: Decimal) -> Decimal:
    """Half up to 0.01 (四舍五入), the precision marks are stored with."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def normalise_text(text) -> str:
    """Full-width → half-width (NFKC), no spaces at all, case folded, no trailing 。/，."""
    text = unicodedata.normalize("NFKC", str(text or ""))
    text = _SPACES.sub("", text).casefold()
    return _TRAILING.sub("", text)


def letters(value) -> str:
    """'a、c' / ['C', 'A'] / 'A C' → 'AC' (sorted, unique, A–F only)."""
    if isinstance(value, list | tuple):
        value = "".join(str(v) for v in value)
    text = unicodedata.normalize("NFKC", str(value or "")).upper()
    return "".join(sorted({c for c in text if "A" <= c <= "F"}))


def mark_choice(answer: str, response, points: Decimal, *, partial: bool = False) -> Decimal:
    """All or nothing; with partial=True a strict subset without a wrong letter earns its share."""
    given, right = letters(response), letters(answer)
    if not given:
        return ZERO
    if given == right:
        return points
    if partial and set(given) <= set(right):
        return q2(points * len(given) / len(right))
    return ZERO


def mark_true_false(answer: str, response, points: Decimal) -> Decimal:
    given = str(response or "").strip().upper()[:1]
    return points if given in ("T", "F") and given == answer else ZERO


def mark_fill(blanks: Sequence[Sequence[str]], response, points: Decimal) -> Decimal:
    """Each blank weighs the same; a blank is right when it matches any accepted text."""
    if not blanks:
        return ZERO
    given = response if isinstance(response, list) else [response]
    right = 0
    for index, accepted in enumerate(blanks):
        text = normalise_text(given[index]) if index < len(given) else ""
        if text and text in {normalise_text(a) for a in accepted}:
            right += 1
    if right == len(blanks):
        return points
    return q2(points * right / len(blanks))


def mark_objective(qtype: str, answer, response, points: Decimal, *, partial: bool) -> Decimal:
    if qtype == "single":
        return mark_choice(answer, response, points)
    if qtype == "multiple":
        return mark_choice(answer, response, points, partial=partial)
    if qtype == "tf":
        return mark_true_false(answer, response, points)
    if qtype == "fill":
        return mark_fill(answer, response, points)
    raise ValueError(_("题型 %(qtype)s 需要人工评分") % {"qtype": qtype})


def percent(score: Decimal, full: Decimal) -> Decimal:
    """Score as a percentage of the full marks (exact, not rounded)."""
    return ZERO if full <= ZERO else score * HUNDRED / full


def unit_result(
    scores: Sequence[Decimal], full: Decimal, formula: str, pass_percent: Decimal
) -> Decimal:
    """The unit's result in % of full marks: the sitters' average, or the share who passed."""
    if not scores:
        return ZERO
    if formula == "pass_rate":
        passed = sum(1 for s in scores if percent(s, full) >= pass_percent)
        return Decimal(passed) * HUNDRED / len(scores)
    return sum((percent(s, full) for s in scores), ZERO) / len(scores)


def leaf_value(result_percent: Decimal, max_score: Decimal) -> Decimal:
    """The leaf's value: its max × the unit result, rounded half up to 0.01."""
    return q2(max_score * result_percent / HUNDRED)


def oral_total(scores: dict, criteria: Sequence[dict]) -> Decimal:
    """A rubric's total: each criterion's mark (0–its weight) added up."""
    total = ZERO
    for criterion in criteria:
        value = Decimal(str(scores.get(criterion["name"], "0")))
        weight = Decimal(str(criterion["weight"]))
        if not value.is_finite() or value < ZERO or value > weight:
            raise ValueError(
                _("“%(name)s”的得分须在 0 到 %(weight)s 之间")
                % {"name": criterion["name"], "weight": weight}
            )
        total += value
    return total


def mean(values: Sequence[Decimal]) -> Decimal:
    return sum(values, ZERO) / len(values) if values else ZERO


def double_mark(marks: Sequence[Decimal], top: Decimal, gap_percent: Decimal) -> Decimal | None:
    """双评: two marks within the allowed gap → their mean; further apart → None (a third
    marker is needed); three or more marks → their median. Rounded half up to 0.01."""
    if len(marks) < 2:
        return None
    if len(marks) == 2:
        first, second = marks
        if abs(first - second) > top * gap_percent / HUNDRED:
            return None
        return q2((first + second) / 2)
    ordered = sorted(marks)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return q2(ordered[middle])
    return q2((ordered[middle - 1] + ordered[middle]) / 2)
