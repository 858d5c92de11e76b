"""Group phrases and abbreviations of Chinese government unit names."""

import pytest

from kaohe.demo import seed2020
from kaohe.orgs.names import CategoryInfo, category_phrase, suggest_units

CATEGORIES = [
    CategoryInfo(1, "county", "县区"),
    CategoryInfo(2, "zone", "功能区"),
    CategoryInfo(3, "department", "市直部门"),
]
UNITS = list(
    enumerate(seed2020.DEPARTMENTS + seed2020.COUNTIES + seed2020.ZONES + ["市政府办公室"])
)


@pytest.mark.parametrize(
    ("text", "ids"),
    [
        ("各县市区人民政府", [1, 2]),
        ("各县（区）", [1, 2]),
        ("各县（市、区）人民政府", [1, 2]),
        ("市直考核对象", [3]),
        ("市直各单位", [3]),
        ("市直各部门", [3]),
        ("全部考核对象", [1, 2, 3]),
        ("市司法局", None),
        ("市法治政府建设领导小组成员单位", None),
        ("濮阳县", None),
        ("华龙区", None),
    ],
)
def test_category_phrases(text, ids):
    assert category_phrase(text, CATEGORIES) == ids


@pytest.mark.parametrize(("short", "full"), sorted(seed2020.RESPONSIBLE_ALIASES.items()))
def test_seed000_abbreviations_suggest_the_right_unit(short, full):
    best = suggest_units(short, UNITS)
    assert best and best[0][1] == full, best


def test_unknown_unit_still_gets_a_suggestion_and_nonsense_gets_none():
    assert suggest_units("市卫生监督局", UNITS)[0][1] == "市卫生健康委"
    assert suggest_units("某某公司", UNITS) == []
