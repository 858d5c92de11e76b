"""Grade reasons are stored in Chinese and shown in the reader's language."""

from decimal import Decimal as D

from django.utils import translation

from kaohe.scoring import engine
from kaohe.scoring.engine import GradeRule, Rules
from kaohe.scoring.reasons import reason_display

from .test_engine import LEAVES, WEIGHTS, subject


def _reasons():
    rules = Rules(
        weights=WEIGHTS,
        grades={None: (GradeRule("优秀", D(90), D(30)), GradeRule("良好", D(80)))},
    )
    subjects = [subject(i, {1: D(99 - i), 2: D(99 - i), 3: D(99 - i)}) for i in range(1, 5)]
    subjects.append(subject(9, {1: D(10), 2: D(10), 3: D(10)}))
    _, placements = engine.compute_results(LEAVES, rules, subjects)
    return placements[3].reason, placements[9].reason


def test_stored_reason_is_chinese_and_reads_back_in_english():
    quota, below = _reasons()
    assert quota.startswith("总分 ") and "；优秀名额上限 30%（1 个）已满，降为下一等次" in quota
    with translation.override("zh-hans"):
        assert reason_display(quota) == quota and reason_display(below) == below
    with translation.override("en"):
        shown = reason_display(quota)
        assert "→ 优秀; quota of 优秀 (30%, 1 place(s)) is full, moved down a grade → 良好" in shown
        assert "名额" not in shown and "总分" not in shown
        assert reason_display(below).endswith("is below the minimum of every grade")


def test_a_reason_it_cannot_read_stays_as_stored():
    with translation.override("en"):
        assert reason_display("手工说明") == "手工说明"
        assert reason_display("") == ""


def test_the_ungraded_mark_is_translated_and_grade_names_are_not():
    from kaohe.scoring.templatetags.scoring_text import grade_name

    with translation.override("en"):
        assert grade_name(engine.UNGRADED) == "Not graded"
        assert grade_name("优秀") == "优秀"
