"""Inputs of the verifiable draws (see draw_engine): the population, rule and seed checked and
normalised into the canonical form that the digest covers (steps 1 and 2 of "kaohe-draw/1").

Error messages are translated; the normalised data never is (it is what the digest covers).
"""

from __future__ import annotations

import unicodedata

from django.utils.translation import gettext as _

from kaohe.common.decimals import NumberError, parse_int, parse_number

MAX_POPULATION = 20000
MAX_SEED_LENGTH = 64


class DrawError(ValueError):
    """The inputs are malformed, or the rule cannot be satisfied (message says why)."""


def _text(value, field: str, *, max_length: int = 200, required: bool = False) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str | int):
        raise DrawError(_("%(field)s 必须是文字。") % {"field": field})
    text = unicodedata.normalize("NFC", str(value)).strip()
    if required and not text:
        raise DrawError(_("%(field)s 不能为空。") % {"field": field})
    if len(text) > max_length:
        raise DrawError(
            _("%(field)s 过长（最多 %(max_length)s 个字符）。")
            % {"field": field, "max_length": max_length}
        )
    return text


def normalise_population(members) -> list[dict]:
    """Members as {key, label, stratum, group}, sorted by key; duplicate keys refused."""
    if len(members) > MAX_POPULATION:
        raise DrawError(_("抽取范围最多 %(max)s 项。") % {"max": MAX_POPULATION})
    out = []
    for index, member in enumerate(members, start=1):
        if not isinstance(member, dict):
            raise DrawError(_("第 %(index)s 项格式不正确。") % {"index": index})
        key = _text(member.get("key"), _("第 %(index)s 项的编号") % {"index": index}, required=True)
        out.append(
            {
                "key": key,
                "label": _text(
                    member.get("label") or key, _("第 %(index)s 项的名称") % {"index": index}
                ),
                "stratum": _text(
                    member.get("stratum"),
                    _("第 %(index)s 项的类别") % {"index": index},
                    max_length=64,
                ),
                "group": _text(
                    member.get("group"),
                    _("第 %(index)s 项的分组") % {"index": index},
                    max_length=128,
                ),
            }
        )
    out.sort(key=lambda m: m["key"])
    for before, after in zip(out, out[1:], strict=False):
        if before["key"] == after["key"]:
            raise DrawError(
                _("编号“%(key)s”重复，抽取范围中每项编号必须唯一。") % {"key": after["key"]}
            )
    if not out:
        raise DrawError(_("抽取范围为空。"))
    return out


def _int_or_none(value, field: str) -> int | None:
    if value in (None, ""):
        return None
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise DrawError(_("%(field)s 必须是整数。") % {"field": field})
    # Bounded before any work: no count can exceed the largest population a draw can hold.
    try:
        return parse_int(value, field, minimum=0, maximum=MAX_POPULATION)
    except NumberError as exc:
        raise DrawError(str(exc)) from None


def _percent(value) -> str | None:
    if value in (None, ""):
        return None
    try:
        number = parse_number(value, _("比例"))
    except NumberError as exc:
        raise DrawError(str(exc)) from None
    if number is None or number < 0 or number > 100:
        raise DrawError(_("比例必须在 0 到 100 之间。"))
    return format(number.normalize(), "f")


def _normalise_quotas(raw_quotas) -> list[dict]:
    """Quotas with sorted, non-overlapping strata and consistent minimum/maximum."""
    quotas = []
    seen_strata: set[str] = set()
    for index, quota in enumerate(raw_quotas or [], start=1):
        strata = sorted({_text(s, _("类别"), max_length=64) for s in quota.get("strata") or []})
        strata = [s for s in strata if s]
        label = _text(quota.get("label") or "、".join(strata), f"第 {index} 个配额的名称")
        if not strata:
            raise DrawError(_("配额“%(label)s”没有指定类别。") % {"label": label})
        if seen_strata & set(strata):
            raise DrawError(_("配额“%(label)s”与其他配额的类别重叠。") % {"label": label})
        seen_strata |= set(strata)
        q_min = _int_or_none(quota.get("min"), _("配额“%(label)s”的最少人数") % {"label": label})
        q_max = _int_or_none(quota.get("max"), _("配额“%(label)s”的最多人数") % {"label": label})
        if q_min is not None and q_max is not None and q_min > q_max:
            raise DrawError(_("配额“%(label)s”的最少人数大于最多人数。") % {"label": label})
        quotas.append(
            {
                "label": label,
                "strata": strata,
                "min": q_min,
                "max": q_max,
                "min_percent": _percent(quota.get("min_percent")),
            }
        )
    return quotas


def _check_per_group(per_group: int, group_count, count_min, count_max, quotas) -> None:
    """A per-group rule sets no total or quota, and at least one member per group."""
    if per_group < 1:
        raise DrawError(_("每组抽取数至少为 1。"))
    if quotas or count_min is not None or count_max is not None:
        raise DrawError(_("按组抽取时不能同时设置总数或配额。"))
    if group_count is not None and group_count < 1:
        raise DrawError(_("抽取组数至少为 1。"))


def _count_range(group_count, count_min, count_max) -> tuple[int, int]:
    """The total-count range of a non-group rule, one missing bound copied from the other."""
    if group_count is not None:
        raise DrawError(_("设置抽取组数时必须同时设置每组抽取数。"))
    if count_min is None and count_max is None:
        raise DrawError(_("请填写抽取数量。"))
    count_min = count_max if count_min is None else count_min
    count_max = count_min if count_max is None else count_max
    if count_min < 1:
        raise DrawError(_("抽取数量至少为 1。"))
    if count_min > count_max:
        raise DrawError(_("最少抽取数大于最多抽取数。"))
    return count_min, count_max


def normalise_rule(rule: dict) -> dict:
    """Fill defaults, sort lists and check consistency; the result is what gets hashed."""
    if not isinstance(rule, dict):
        raise DrawError(_("抽取规则格式不正确。"))
    per_group = _int_or_none(rule.get("per_group"), _("每组抽取数"))
    group_count = _int_or_none(rule.get("group_count"), _("抽取组数"))
    count_min = _int_or_none(rule.get("count_min"), _("最少抽取数"))
    count_max = _int_or_none(rule.get("count_max"), _("最多抽取数"))
    quotas = _normalise_quotas(rule.get("quotas"))
    if per_group is not None:
        _check_per_group(per_group, group_count, count_min, count_max, quotas)
    else:
        count_min, count_max = _count_range(group_count, count_min, count_max)
    return {
        "count_min": count_min,
        "count_max": count_max,
        "exclude_strata": sorted(
            {s for s in (_text(x, _("排除类别")) for x in rule.get("exclude_strata") or []) if s}
        ),
        "exclude_keys": sorted(
            {k for k in (_text(x, _("排除编号")) for x in rule.get("exclude_keys") or []) if k}
        ),
        "quotas": quotas,
        "per_group": per_group,
        "group_count": group_count,
    }


def normalise_seed(seed) -> str:
    text = _text(seed, _("随机种子"), max_length=MAX_SEED_LENGTH, required=True)
    return text
