"""Leaf values → component scores → weighted total (Decimal throughout)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal, getcontext, localcontext

from .basics import (
    BONUS,
    CENT,
    COMPONENT_METHODS,
    DEDUCTION,
    HUNDRED,
    MAX_VALUE,
    PENALTY,
    PRECISION,
    VETO,
    ZERO,
    Leaf,
    round_total,
)
from .data import ComponentScore, Rules, SubjectInput, SubjectScore


def gettext_noop(text: str) -> str:
    """Marks a message for the catalogue (makemessages); the engine has no Django, so callers
    translate with `error.translated(gettext)`."""
    return text


class ScoreValueError(ValueError):
    """A value outside what the leaf's method allows; the message is for the user.

    `str(error)` is the Chinese message; `template` and `params` let the caller translate it."""

    def __init__(self, template: str, **params):
        self.template, self.params = template, params
        super().__init__(template % params if params else template)

    def translated(self, gettext) -> str:
        text = gettext(self.template)
        return text % self.params if self.params else text


def check_value(leaf: Leaf, value: Decimal) -> None:
    """Refuse values the method does not allow, with a message naming the range."""
    if not isinstance(value, Decimal) or not value.is_finite():
        raise ScoreValueError(gettext_noop("分值必须是数字。"))
    if value < ZERO:
        raise ScoreValueError(gettext_noop("分值不能为负数。"))
    if value > MAX_VALUE:  # before quantize: 1e999 or 400 digits would overflow it
        raise ScoreValueError(gettext_noop("分值过大（不能超过 %(max)s）。"), max=MAX_VALUE)
    if value != value.quantize(CENT):
        raise ScoreValueError(gettext_noop("分值 %(value)s 最多保留两位小数。"), value=value)
    if leaf.method == VETO:
        if value not in (ZERO, Decimal(1)):
            raise ScoreValueError(gettext_noop("一票否决项只能填 0（未触发）或 1（触发）。"))
        return
    if leaf.method == DEDUCTION:
        return  # any deduction is allowed; the score is floored at 0
    if value > leaf.max_score:
        raise ScoreValueError(
            gettext_noop("分值 %(value)s 超出范围：应在 0 到 %(max)s 之间。"),
            value=value,
            max=leaf.max_score,
        )


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
    (aggregate.py) sums in SQL and calls this too, once per subject inside one context at the
    engine's precision (then no context is copied per subject: the same arithmetic)."""
    if getcontext().prec == PRECISION:
        components, bonus_used, penalty_used, exact = _weigh(rules, raw, maximum, bonus, penalty)
    else:
        with localcontext() as ctx:
            ctx.prec = PRECISION
            components, bonus_used, penalty_used, exact = _weigh(
                rules, raw, maximum, bonus, penalty
            )
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
    )


def _weigh(rules: Rules, raw, maximum, bonus: Decimal, penalty: Decimal) -> tuple:
    """Component scores, the capped bonus and penalty, and the exact total (in the caller's
    context, at the engine's precision)."""
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
    return components, bonus_used, penalty_used, exact
