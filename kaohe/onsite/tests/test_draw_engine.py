"""The draw algorithm: rules always hold, same inputs → same result, everyone can be drawn."""

import hashlib

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kaohe.onsite import draw_engine as engine

STRATA = ["head", "leadership", "middle", "general", "enforcement"]


def people(counts: dict[str, int]) -> list[dict]:
    members, n = [], 0
    for stratum, count in counts.items():
        for _ in range(count):
            n += 1
            members.append({"key": f"P{n:03d}", "label": f"人员{n}", "stratum": stratum})
    return members


STAFF_RULE = {
    "count_min": 10,
    "count_max": 15,
    "exclude_strata": ["head"],
    "quotas": [
        {"label": "中层干部", "strata": ["middle"], "min_percent": "50"},
        {"label": "班子成员", "strata": ["leadership"], "min": 1},
        {"label": "一般干部", "strata": ["general"], "min": 1},
    ],
}

populations = st.builds(
    people,
    st.fixed_dictionaries({s: st.integers(min_value=0, max_value=12) for s in STRATA}),
)
seeds = st.text(min_size=1, max_size=12).filter(lambda s: s.strip())


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(populations, seeds)
def test_staff_rule_always_holds_or_is_refused_with_reason(members, seed):
    avail = {s: sum(1 for m in members if m["stratum"] == s) for s in STRATA}
    eligible = len(members) - avail["head"]
    # An independent oracle: some n in 10..15 has enough middle, leaders and general staff.
    possible = any(
        avail["middle"] >= -(-n // 2)
        and avail["leadership"] >= 1
        and avail["general"] >= 1
        and eligible >= n
        for n in range(10, 16)
    )
    try:
        outcome = engine.run_draw(members, STAFF_RULE, seed)
    except engine.DrawError as exc:
        assert str(exc)  # refused with a reason
        assert not possible
        return
    assert possible
    assert engine.check_outcome(members, STAFF_RULE, list(outcome.selected)) == []
    chosen = [m for m in members if m["key"] in outcome.selected]
    assert 10 <= len(chosen) <= 15
    assert all(m["stratum"] != "head" for m in chosen)
    middle = sum(1 for m in chosen if m["stratum"] == "middle")
    assert middle * 2 >= len(chosen)


@settings(max_examples=100)
@given(
    populations,
    seeds,
    st.integers(min_value=1, max_value=6),
    st.integers(min_value=0, max_value=4),
    st.integers(min_value=0, max_value=100),
)
def test_random_rules_hold(members, seed, count, quota_min, percent):
    rule = {
        "count_min": count,
        "count_max": count + 3,
        "exclude_strata": ["general"],
        "quotas": [
            {"strata": ["middle"], "min": quota_min, "min_percent": str(percent)},
            {"strata": ["leadership"], "max": 1},
        ],
    }
    try:
        outcome = engine.run_draw(members, rule, seed)
    except engine.DrawError:
        return
    assert engine.check_outcome(members, rule, list(outcome.selected)) == []


@settings(max_examples=100)
@given(populations, seeds, st.randoms(use_true_random=False))
def test_same_inputs_same_result_whatever_the_input_order(members, seed, rnd):
    rule = {"count_min": 1, "count_max": 5}
    shuffled = list(members)
    rnd.shuffle(shuffled)
    try:
        first = engine.run_draw(members, rule, seed)
    except engine.DrawError:
        return
    assert engine.run_draw(shuffled, rule, seed) == first
    assert engine.run_draw(members, dict(rule), seed) == first


@settings(max_examples=30, deadline=None)
@given(st.integers(min_value=2, max_value=12), st.integers(min_value=1, max_value=3))
def test_every_member_can_be_drawn(size, count):
    members = [{"key": f"K{i:02d}"} for i in range(size)]
    rule = {"count_min": min(count, size), "count_max": min(count, size)}
    seen: set[str] = set()
    for n in range(400):
        seen.update(engine.run_draw(members, rule, str(n)).selected)
        if len(seen) == size:
            break
    assert seen == {m["key"] for m in members}


def test_every_eligible_staff_member_can_be_drawn_under_quotas():
    members = people({"head": 1, "leadership": 3, "middle": 10, "general": 8, "enforcement": 6})
    seen: set[str] = set()
    for n in range(300):
        seen.update(engine.run_draw(members, STAFF_RULE, f"seed-{n}").selected)
    assert seen == {m["key"] for m in members if m["stratum"] != "head"}


def test_refusal_names_the_constraint():
    members = people({"head": 1, "middle": 3, "general": 20, "leadership": 2})
    with pytest.raises(engine.DrawError, match="中层干部.*只有 3 个"):
        engine.run_draw(members, STAFF_RULE, "1")


def test_not_enough_people():
    with pytest.raises(engine.DrawError, match="不足 5 个"):
        engine.run_draw([{"key": "a"}, {"key": "b"}], {"count_min": 5}, "1")


def test_digest_is_sha256_of_documented_canonical_json():
    """An independent re-implementation of steps 1–5 of the documented algorithm."""
    members = [{"key": "b", "label": "乙"}, {"key": "a", "label": "甲"}, {"key": "c"}]
    rule = {"count_min": 2, "count_max": 2}
    outcome = engine.run_draw(members, rule, " 42 ")
    population = [
        {"group": "", "key": "a", "label": "甲", "stratum": ""},
        {"group": "", "key": "b", "label": "乙", "stratum": ""},
        {"group": "", "key": "c", "label": "c", "stratum": ""},
    ]
    full_rule = {
        "count_max": 2,
        "count_min": 2,
        "exclude_keys": [],
        "exclude_strata": [],
        "group_count": None,
        "per_group": None,
        "quotas": [],
    }
    text = (
        '{"algorithm":"kaohe-draw/1","population":'
        + engine.canonical_json(population)
        + ',"rule":'
        + engine.canonical_json(full_rule)
        + ',"seed":"42"}'
    )
    digest = hashlib.sha256(text.encode()).digest()
    assert outcome.digest == digest.hex()
    ranks = sorted(
        range(3), key=lambda i: (hashlib.sha256(digest + f"member:{i}".encode()).hexdigest(), i)
    )
    assert outcome.selected == tuple(population[i]["key"] for i in ranks[:2])


def test_per_group_draw_one_from_each_of_five_departments():
    members = [
        {"key": f"{d}-{i}", "group": d}
        for d in ["自然资源", "住建", "水利", "文旅", "生态", "交通"]
        for i in range(3)
    ]
    members.append({"key": "单独", "group": "城管"})
    rule = {"per_group": 1, "group_count": 5}
    for seed in map(str, range(20)):
        outcome = engine.run_draw(members, rule, seed)
        groups = [k.split("-")[0] for k in outcome.selected]
        assert len(groups) == 5 == len(set(groups))
        assert engine.check_outcome(members, rule, list(outcome.selected)) == []


def test_per_group_refused_when_a_department_has_none():
    members = [{"key": "1", "group": "甲"}, {"key": "2", "group": "乙"}]
    with pytest.raises(engine.DrawError, match="不足 5 个"):
        engine.run_draw(members, {"per_group": 1, "group_count": 5}, "1")


def test_exact_quotas_leaders():
    members = [{"key": n, "stratum": "负责同志"} for n in ["张", "王"]] + [
        {"key": n, "stratum": "成员"} for n in ["李", "赵", "钱", "孙"]
    ]
    rule = {
        "count_min": 3,
        "quotas": [
            {"label": "负责同志", "strata": ["负责同志"], "min": 1, "max": 1},
            {"label": "成员", "strata": ["成员"], "min": 2, "max": 2},
        ],
    }
    outcome = engine.run_draw(members, rule, "dice-3-5-6")
    strata = sorted(next(m["stratum"] for m in members if m["key"] == k) for k in outcome.selected)
    assert strata == ["成员", "成员", "负责同志"]


@pytest.mark.parametrize(
    "members, rule, message",
    [
        ([{"key": "a"}, {"key": "a"}], {"count_min": 1}, "重复"),
        ([], {"count_min": 1}, "为空"),
        ([{"key": "a"}], {}, "抽取数量"),
        ([{"key": "a"}], {"count_min": 3, "count_max": 2}, "大于"),
        ([{"key": "a"}], {"count_min": "x"}, "整数"),
        (
            [{"key": "a"}],
            {"count_min": 1, "quotas": [{"strata": ["m"], "min_percent": "150"}]},
            "0 到 100",
        ),
        (
            [{"key": "a"}],
            {"count_min": 1, "quotas": [{"strata": ["m"]}, {"strata": ["m", "n"]}]},
            "重叠",
        ),
        ([{"key": "a"}], {"per_group": 1, "count_min": 1}, "不能同时"),
    ],
)
def test_malformed_inputs_refused(members, rule, message):
    with pytest.raises(engine.DrawError, match=message):
        engine.run_draw(members, rule, "1")


@given(
    st.lists(
        st.tuples(
            st.sampled_from(["pass", "fail", "na"]),
            st.one_of(st.none(), st.decimals(min_value=0, max_value=20, places=2)),
        ),
        min_size=1,
        max_size=12,
    ),
    st.sampled_from(["entered", "checklist", "deduction"]),
    st.decimals(min_value=0, max_value=100, places=2),
)
def test_checklist_leaf_value_stays_in_range(answers, method, top):
    from decimal import Decimal

    from kaohe.onsite import marks

    fraction = marks.checklist_fraction(answers)
    assert Decimal(0) <= fraction <= Decimal(1)
    value = marks.leaf_value(method, top, fraction)
    assert Decimal(0) <= value <= top
    if all(r == "pass" for r, _ in answers):
        assert value == (Decimal(0) if method == "deduction" else top)
