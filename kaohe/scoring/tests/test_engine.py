"""The pure scoring engine: exact rules, worked examples, and properties (hypothesis)."""

from decimal import Decimal as D

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kaohe.scoring import engine
from kaohe.scoring.engine import GradeRule, Leaf, Rules, SubjectInput

WEIGHTS = {"daily": D(60), "onsite": D(30), "satisfaction": D(10)}
GRADES = (
    GradeRule("优秀", D(90)),
    GradeRule("良好", D(80)),
    GradeRule("合格", D(60)),
    GradeRule("不合格", D(0)),
)
RULES = Rules(weights=WEIGHTS, bonus_cap=D(3), penalty_cap=D(5), grades={None: GRADES})
LEAVES = [
    Leaf(1, "daily", "entered", D(100)),
    Leaf(2, "onsite", "entered", D(100)),
    Leaf(3, "satisfaction", "entered", D(100)),
]


def subject(pk, values, category=1, grading=1):
    return SubjectInput(pk, category, grading, values)


def test_89_995_rounds_half_up_to_90_and_is_excellent():
    s = engine.score_subject(
        LEAVES, RULES, subject(1, {1: D("89.99"), 2: D("90.01"), 3: D("89.98")})
    )
    assert s.exact_total == D("89.995")
    assert s.total == D("90.00")
    scores, placements = engine.compute_results(
        LEAVES, RULES, [subject(1, {1: D("89.99"), 2: D("90.01"), 3: D("89.98")})]
    )
    assert placements[1].grade == "优秀"


def test_float_arithmetic_would_get_89_995_wrong():
    """Pins why Decimal is required: binary floats give 89.99499… which rounds to 89.99."""
    as_float = 0.6 * 89.99 + 0.3 * 90.01 + 0.1 * 89.98
    assert as_float < 89.995


def test_component_scaled_to_100_when_category_max_differs():
    leaves = [
        Leaf(1, "onsite", "entered", D(10), frozenset({"county"})),
        Leaf(2, "onsite", "entered", D(90)),
    ]
    dept = engine.score_subject(leaves, RULES, subject(1, {2: D(81)}, category="dept"))
    assert dept.components["onsite"].maximum == D(90)
    assert dept.components["onsite"].score == D(90)  # 81 / 90 × 100
    county = engine.score_subject(leaves, RULES, subject(2, {1: D(9), 2: D(81)}, category="county"))
    assert county.components["onsite"].score == D(90)


def test_deduction_is_floored_at_zero_and_missing_means_full_marks():
    leaf = Leaf(1, "daily", "deduction", D(8))
    assert engine.leaf_score(leaf, D(3)) == D(5)
    assert engine.leaf_score(leaf, D(12)) == D(0)
    assert engine.leaf_score(leaf, None) == D(8)


def test_bonus_and_penalty_are_capped():
    leaves = [
        *LEAVES,
        Leaf(4, "daily", "bonus", D(5)),
        Leaf(5, "onsite", "penalty", D(10)),
        Leaf(6, "onsite", "penalty", D(10)),
    ]
    s = engine.score_subject(
        leaves, RULES, subject(1, {1: D(80), 2: D(80), 3: D(80), 4: D(5), 5: D(4), 6: D(4)})
    )
    assert s.bonus == D(3) and s.penalty == D(5)
    assert s.total == D("78.00")


def test_veto_caps_the_grade():
    leaves = [*LEAVES, Leaf(9, "daily", "veto", D(0), veto_grade="合格")]
    _, placements = engine.compute_results(
        leaves, RULES, [subject(1, {1: D(95), 2: D(95), 3: D(95), 9: D(1)})]
    )
    assert placements[1].grade == "合格" and "一票否决" in placements[1].reason


def test_competition_ranking_with_tie_break():
    values = {1: D(90), 2: D(90), 3: D(90)}
    subjects = [
        subject(1, {1: D(91), 2: D(88), 3: D(90)}),  # 90.00, on-site 88
        subject(2, {1: D(89), 2: D(92), 3: D(90)}),  # 90.00, on-site 92 → first
        subject(3, values),
        subject(4, values),  # exactly equal → tied
        subject(5, {1: D(50), 2: D(50), 3: D(50)}),
    ]
    ranks = engine.rank_scores(
        [engine.score_subject(LEAVES, RULES, s) for s in subjects], ("onsite", "daily")
    )
    assert ranks == {2: 1, 3: 2, 4: 2, 1: 4, 5: 5}


def test_quota_pushes_lower_ranked_down_and_never_overflows():
    rules = Rules(
        weights=WEIGHTS,
        grades={
            None: (
                GradeRule("优秀", D(90), D(30)),
                GradeRule("良好", D(80)),
                GradeRule("不合格", D(0)),
            )
        },
    )
    subjects = [subject(i, {1: D(99 - i), 2: D(99 - i), 3: D(99 - i)}) for i in range(1, 8)]
    _, placements = engine.compute_results(LEAVES, rules, subjects)
    grades = [placements[i].grade for i in range(1, 8)]
    # 7 subjects, 30% → at most 2 优秀; the rest with ≥ 90 fall to 良好.
    assert grades == ["优秀", "优秀", "良好", "良好", "良好", "良好", "良好"]
    assert "名额上限" in placements[3].reason


def test_tied_group_that_would_overflow_quota_falls_together():
    rules = Rules(
        weights=WEIGHTS, grades={None: (GradeRule("优秀", D(90), D(30)), GradeRule("良好", D(0)))}
    )
    same = {1: D(95), 2: D(95), 3: D(95)}
    subjects = [
        subject(1, {1: D(99), 2: D(99), 3: D(99)}),
        subject(2, same),
        subject(3, same),
        *[subject(i, {1: D(85), 2: D(85), 3: D(85)}) for i in range(4, 8)],
    ]
    _, placements = engine.compute_results(LEAVES, rules, subjects)
    assert placements[1].grade == "优秀"  # capacity floor(7 × 30%) = 2
    assert placements[2].grade == placements[3].grade == "良好"


def test_grading_categories_rank_separately_and_use_their_own_levels():
    rules = Rules(
        weights=WEIGHTS,
        grades={None: GRADES, "strict": (GradeRule("优秀", D(95)), GradeRule("良好", D(0)))},
    )
    values = {1: D(92), 2: D(92), 3: D(92)}
    _, placements = engine.compute_results(
        LEAVES, rules, [subject(1, values, grading="normal"), subject(2, values, grading="strict")]
    )
    assert placements[1].rank == placements[2].rank == 1
    assert placements[1].grade == "优秀" and placements[2].grade == "良好"


@pytest.mark.parametrize(
    "method,value,ok",
    [
        ("entered", D("10"), True),
        ("entered", D("10.01"), False),
        ("entered", D("-1"), False),
        ("deduction", D("25"), True),
        ("bonus", D("11"), False),
        ("veto", D("2"), False),
        ("veto", D("1"), True),
    ],
)
def test_check_value_refuses_out_of_range_with_message(method, value, ok):
    leaf = Leaf(1, "daily", method, D(10), veto_grade="合格")
    if ok:
        engine.check_value(leaf, value)
    else:
        with pytest.raises(engine.ScoreValueError) as error:
            engine.check_value(leaf, value)
        assert str(error.value)


# --- properties ------------------------------------------------------------------------

scores_strategy = st.decimals(
    min_value=0, max_value=100, places=2, allow_nan=False, allow_infinity=False
)
LEAVES_WITH_EXTRAS = [*LEAVES, Leaf(4, "daily", "bonus", D(5)), Leaf(5, "onsite", "penalty", D(10))]


def subject_strategy(pk):
    return st.builds(
        lambda a, b, c, bonus, penalty: subject(pk, {1: a, 2: b, 3: c, 4: bonus, 5: penalty}),
        scores_strategy,
        scores_strategy,
        scores_strategy,
        st.decimals(min_value=0, max_value=5, places=1),
        st.decimals(min_value=0, max_value=10, places=1),
    )


@st.composite
def populations(draw):
    count = draw(st.integers(min_value=1, max_value=12))
    return [draw(subject_strategy(pk)) for pk in range(1, count + 1)]


@settings(max_examples=200, deadline=None)
@given(populations())
def test_totals_stay_in_bounds_and_are_rounded_once(subjects):
    for s in subjects:
        score = engine.score_subject(LEAVES_WITH_EXTRAS, RULES, s)
        assert D(0) <= score.total <= D(100) + RULES.bonus_cap
        assert score.total == engine.round_total(score.exact_total)
        assert score.total.as_tuple().exponent == -2


@settings(max_examples=200, deadline=None)
@given(populations())
def test_ranks_are_a_valid_competition_ranking(subjects):
    scores = [engine.score_subject(LEAVES_WITH_EXTRAS, RULES, s) for s in subjects]
    ranks = engine.rank_scores(scores, RULES.tie_break)
    ordered = sorted(ranks.values())
    assert ordered[0] == 1
    for position, rank in enumerate(ordered, start=1):
        # A rank r means exactly r − 1 subjects are strictly ahead.
        assert rank == 1 + sum(1 for other in ordered if other < rank)
        assert rank <= position
    by_id = {s.subject_id: s for s in scores}
    for a, ra in ranks.items():
        for b, rb in ranks.items():
            if by_id[a].total > by_id[b].total:
                assert ra < rb


@settings(max_examples=200, deadline=None)
@given(populations(), st.data())
def test_raising_a_leaf_never_lowers_total_or_rank(subjects, data):
    target = data.draw(st.sampled_from(subjects))
    leaf_id = data.draw(st.sampled_from([1, 2, 3, 4]))
    top = D(5) if leaf_id == 4 else D(100)
    old = target.values[leaf_id]
    new = data.draw(st.decimals(min_value=old, max_value=top, places=2))
    raised = SubjectInput(
        target.id, target.unit_category, target.grading_category, {**target.values, leaf_id: new}
    )
    before_scores, before = engine.compute_results(LEAVES_WITH_EXTRAS, RULES, subjects)
    after_subjects = [raised if s.id == target.id else s for s in subjects]
    after_scores, after = engine.compute_results(LEAVES_WITH_EXTRAS, RULES, after_subjects)
    total = {s.subject_id: s.total for s in before_scores}
    total_after = {s.subject_id: s.total for s in after_scores}
    assert total_after[target.id] >= total[target.id]
    assert after[target.id].rank <= before[target.id].rank


@settings(max_examples=200, deadline=None)
@given(populations(), st.decimals(min_value=0, max_value=100, places=0))
def test_quota_is_never_exceeded(subjects, quota):
    rules = Rules(weights=WEIGHTS, grades={None: (GradeRule("优秀", D(90), quota), *GRADES[1:])})
    _, placements = engine.compute_results(LEAVES, rules, subjects)
    excellent = sum(1 for p in placements.values() if p.grade == "优秀")
    assert excellent <= int(len(subjects) * quota / 100)


def test_level_closed_after_a_tie_group_overflows_it():
    """Review finding: 60% of 5 = 3 places; ranks 1,2,3,3 → the tie at 3 falls, and rank 5
    must not then take the third place."""
    rules = Rules(
        weights=WEIGHTS, grades={None: (GradeRule("优秀", D(90), D(60)), GradeRule("良好", D(0)))}
    )
    tie = {1: D(95), 2: D(95), 3: D(95)}
    subjects = [
        subject(1, {1: D(99), 2: D(99), 3: D(99)}),
        subject(2, {1: D(98), 2: D(98), 3: D(98)}),
        subject(3, tie),
        subject(4, tie),
        subject(5, {1: D(91), 2: D(91), 3: D(91)}),
    ]
    _, placements = engine.compute_results(LEAVES, rules, subjects)
    assert [placements[i].grade for i in range(1, 6)] == ["优秀", "优秀", "良好", "良好", "良好"]


def test_veto_naming_an_unknown_grade_caps_at_the_lowest():
    leaves = [*LEAVES, Leaf(9, "daily", "veto", D(0), veto_grade="不存在的等次")]
    _, placements = engine.compute_results(
        leaves, RULES, [subject(1, {1: D(95), 2: D(95), 3: D(95), 9: D(1)})]
    )
    assert placements[1].grade == "不合格"


@pytest.mark.parametrize("value", [D("3.545"), D("1E+7")])
def test_values_with_more_than_two_decimals_or_too_large_are_refused(value):
    with pytest.raises(engine.ScoreValueError):
        engine.check_value(Leaf(1, "daily", "deduction", D(10)), value)
    engine.check_value(Leaf(1, "daily", "entered", D(10)), D("3.50"))


def test_engine_methods_match_the_model_choices():
    from kaohe.schemes.choices import COMPONENT_METHODS, ScoringMethod

    assert {m.value for m in ScoringMethod} == {
        engine.ENTERED,
        engine.DEDUCTION,
        engine.CHECKLIST,
        engine.DERIVED,
        engine.BONUS,
        engine.PENALTY,
        engine.VETO,
    }
    assert {m.value for m in COMPONENT_METHODS} == engine.COMPONENT_METHODS


@settings(max_examples=200, deadline=None)
@given(
    populations(),
    st.decimals(min_value=0, max_value=100, places=0),
    st.decimals(min_value=0, max_value=100, places=0),
)
def test_grade_never_improves_as_rank_gets_worse(subjects, quota_a, quota_b):
    rules = Rules(
        weights=WEIGHTS,
        grades={
            None: (
                GradeRule("优秀", D(90), quota_a),
                GradeRule("良好", D(80), quota_b),
                GradeRule("合格", D(60)),
                GradeRule("不合格", D(0)),
            )
        },
    )
    _, placements = engine.compute_results(LEAVES, rules, subjects)
    order = ["优秀", "良好", "合格", "不合格"]
    for a in placements.values():
        for b in placements.values():
            if a.rank < b.rank:
                assert order.index(a.grade) <= order.index(b.grade), (a, b)
