"""The survey → score formula, on plain numbers."""

from decimal import Decimal

from kaohe.surveys.formula import Tally, leaf_score

D = Decimal


TEN = D("10")


def tally(ratings, responses=None, top=TEN):
    t = Tally(responses=responses if responses is not None else len(ratings))
    for value in ratings:
        t.add_rating(D(value), top)
    return t


def test_mean_points_as_share_of_max_times_leaf_max():
    # 10 + 8 + 6 = 24 of 30 → 0.8 × 50 = 40.00
    assert leaf_score(tally(["10", "8", "6"]), D("50")) == D("40.00")


def test_rounding_is_half_up_to_cents():
    # 10 + 8 + 8 = 26 of 30 × 5 = 4.3333… → 4.33; 1 of 8 × 1 = 0.125 → 0.13
    assert leaf_score(tally(["10", "8", "8"]), D("5")) == D("4.33")
    assert leaf_score(tally(["1"], top=D("8")), D("1")) == D("0.13")


def test_below_minimum_or_no_answers_is_not_scored():
    assert leaf_score(tally(["10", "10"]), D("50"), min_answers=3) is None
    assert leaf_score(tally([]), D("50")) is None
    assert leaf_score(tally(["10", "10", "10"]), D("50"), min_answers=3) == D("50.00")


def test_responses_without_rating_answers_are_not_scored():
    assert leaf_score(tally([], responses=4), D("50")) is None


def test_satisfaction_rate_counts_answers_at_sixty_percent_of_max():
    t = tally(["10", "8", "6", "3", "0"])
    assert t.satisfied == 3
    assert t.satisfaction_rate == D("60.00")
