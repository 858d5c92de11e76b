"""Nomination rules read from the task table's words (pure functions, no database)."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kaohe.tasks.rules import Rule, cn_number, parse_rule


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        (
            "各推荐5名行政执法人员（其中科级干部不少于3人），名单递交市法治政府建设领导小组办公室",
            Rule("people", 5, "enforcement", 3),
        ),
        ("各推荐五名行政执法人员(其中科级不少于三人)", Rule("people", 5, "enforcement", 3)),
        ("推荐10名中层干部", Rule("people", 10, "middle", 0)),
        ("每单位推荐十二名人员", Rule("people", 12, "", 0)),
        ("各推荐一家民营企业，名单报至市法治政府建设领导小组办公室", Rule("enterprise", 1)),
        ("推荐2家企业", Rule("enterprise", 2)),
        ("准备工作报告和相关印证资料", Rule()),
        ("", Rule()),
    ],
)
def test_parse_rule(text, rule):
    assert parse_rule(text) == rule


@pytest.mark.parametrize(
    ("text", "n"),
    [("5", 5), ("五", 5), ("十", 10), ("十二", 12), ("二十", 20), ("二十五", 25), ("两", 2)],
)
def test_cn_number(text, n):
    assert cn_number(text) == n


@given(st.text(max_size=200))
def test_parse_rule_never_crashes(text):
    rule = parse_rule(text)
    assert rule.form in ("", "people", "enterprise") and rule.count >= 0
