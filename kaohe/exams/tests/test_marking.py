"""Pure marking rules: every question type, normalisation, unit results, Decimal rounding."""

from decimal import Decimal

import pytest

from kaohe.exams import marking as m

D = Decimal


@pytest.mark.parametrize(
    ("answer", "response", "partial", "expected"),
    [
        ("AC", "AC", False, "4"),
        ("AC", ["C", "A"], False, "4"),
        ("AC", "A", False, "0"),
        ("AC", "A", True, "2.00"),
        ("ABC", "AB", True, "2.67"),
        ("AC", "AB", True, "0"),
        ("AC", "", True, "0"),
        ("AC", "ABCD", True, "0"),
    ],
)
def test_multiple_choice_policies(answer, response, partial, expected):
    assert m.mark_choice(answer, response, D("4"), partial=partial) == D(expected)


def test_single_and_true_false():
    assert m.mark_objective("single", "B", "B", D("2"), partial=False) == D("2")
    assert m.mark_objective("single", "B", "b", D("2"), partial=False) == D("2")
    assert m.mark_objective("single", "B", "C", D("2"), partial=False) == 0
    assert m.mark_objective("tf", "T", "T", D("2"), partial=False) == D("2")
    assert m.mark_objective("tf", "T", "", D("2"), partial=False) == 0
    with pytest.raises(ValueError):
        m.mark_objective("short", "", "x", D("2"), partial=False)


def test_fill_normalises_width_spaces_case_and_trailing_stop():
    blanks = [["十五日", "15日"], ["ABC"]]
    assert m.mark_fill(blanks, ["１５ 日", "abc。"], D("4")) == D("4")
    assert m.mark_fill(blanks, ["15日", "x"], D("4")) == D("2.00")
    assert m.mark_fill(blanks, [" "], D("4")) == 0
    assert m.mark_fill([["法律"]], "法　律", D("3")) == D("3")


def test_unit_result_average_and_pass_rate():
    scores = [D("100"), D("59.5"), D("60"), D("80")]
    assert m.unit_result(scores, D("100"), "average", D("60")) == D("74.875")
    assert m.unit_result(scores, D("100"), "pass_rate", D("60")) == D("75")
    assert m.unit_result([], D("100"), "average", D("60")) == 0
    # 10 × 74.875% = 7.4875 → 7.49 (half up), never through float.
    assert m.leaf_value(D("74.875"), D("10")) == D("7.49")
    assert m.leaf_value(D("74.825"), D("10")) == D("7.48")
    assert m.leaf_value(D("89.995"), D("100")) == D("90.00")


def test_oral_total_bounds():
    criteria = [{"name": "围绕主题", "weight": "30"}, {"name": "表述流畅", "weight": "20"}]
    assert m.oral_total({"围绕主题": "28.5", "表述流畅": "20"}, criteria) == D("48.5")
    with pytest.raises(ValueError):
        m.oral_total({"围绕主题": "31"}, criteria)


def test_double_marking_mean_gap_and_median():
    top, gap = D("10"), D("20")
    assert m.double_mark([D("7")], top, gap) is None
    assert m.double_mark([D("7"), D("8.5")], top, gap) == D("7.75")
    assert m.double_mark([D("5"), D("7")], top, gap) == D("6.00")  # exactly the gap: allowed
    assert m.double_mark([D("4"), D("8")], top, gap) is None  # a third marker decides
    assert m.double_mark([D("4"), D("8"), D("7")], top, gap) == D("7.00")
