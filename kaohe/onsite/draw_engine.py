"""Verifiable random draws: a pure, documented function of (population, rule, seed).

Algorithm "kaohe-draw/1" (docs/onsite.md repeats it so anyone can re-implement it):

1. The population is normalised (NFC, trimmed) and sorted by `key` (Unicode code points):
   that is the canonical order; keys must be unique.
2. The rule is normalised (defaults filled, lists sorted) — see `draw_rules.normalise_rule`.
3. digest = SHA-256 of the UTF-8 canonical JSON (sorted keys, no spaces, non-ASCII kept)
   of {"algorithm": "kaohe-draw/1", "population": [...], "rule": {...}, "seed": "..."}.
4. Each member at canonical index i gets the rank SHA-256(digest ‖ "member:" ‖ i); eligible
   members (not excluded) are ordered by rank (hex), then by i (counter-mode hash ranking).
5. Count: the counts in [count_min, count_max] that the rule can satisfy are listed in
   increasing order; the count is entry int(SHA-256(digest ‖ "count")) mod len(list).
6. Quotas (disjoint sets of strata): first each quota takes its minimum — its best-ranked
   members; then the remaining places go down the ranking, skipping members whose quota
   is full. Per-group rules: the groups with enough members are ranked by
   SHA-256(digest ‖ "group:" ‖ name); the first `group_count` (or all) groups each give
   their `per_group` best-ranked members.
The result lists the selected keys in rank order. No Python `random` is involved, so the
result never changes with the Python version.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal

from django.utils.translation import gettext as _

# The inputs' checks and canonical form live in draw_rules; they are part of this engine's API.
from .draw_rules import (  # noqa: F401
    MAX_POPULATION,
    MAX_SEED_LENGTH,
    DrawError,
    normalise_population,
    normalise_rule,
    normalise_seed,
)

ALGORITHM = "kaohe-draw/1"


@dataclass(frozen=True)
class DrawOutcome:
    digest: str
    count: int
    selected: tuple[str, ...]


def canonical_json(data) -> str:
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _sha(*parts: bytes) -> bytes:
    h = hashlib.sha256()
    for part in parts:
        h.update(part)
    return h.digest()


def draw_digest(population: list[dict], rule: dict, seed: str) -> str:
    payload = {"algorithm": ALGORITHM, "population": population, "rule": rule, "seed": seed}
    return hashlib.sha256(canonical_json(payload).encode("utf-8")).hexdigest()


def _quota_min(quota: dict, n: int) -> int:
    low = quota["min"] or 0
    if quota["min_percent"] is not None:
        share = (Decimal(n) * Decimal(quota["min_percent"]) / 100).to_integral_value(
            rounding=ROUND_CEILING
        )
        low = max(low, int(share))
    return low


def quota_reason(rule: dict, eligible: list[dict], n: int) -> str | None:
    """Why n members cannot satisfy the quotas, or None when they can."""
    total_low = 0
    capacity = 0
    quota_strata: set[str] = set()
    for quota in rule["quotas"]:
        strata = set(quota["strata"])
        quota_strata |= strata
        available = sum(1 for m in eligible if m["stratum"] in strata)
        low = _quota_min(quota, n)
        high = min(n if quota["max"] is None else quota["max"], available)
        if low > available:
            return _("“%(label)s”只有 %(available)s 个可抽，抽 %(n)s 个时至少需要 %(low)s 个。") % {
                "label": quota["label"],
                "available": available,
                "n": n,
                "low": low,
            }
        if low > high:
            return _("“%(label)s”抽 %(n)s 个时至少需要 %(low)s 个，但最多只能抽 %(high)s 个。") % {
                "label": quota["label"],
                "n": n,
                "low": low,
                "high": high,
            }
        total_low += low
        capacity += high
    if total_low > n:
        return _("各配额最少数量之和 %(total_low)s 超过抽取数量 %(n)s。") % {
            "total_low": total_low,
            "n": n,
        }
    capacity += sum(1 for m in eligible if m["stratum"] not in quota_strata)
    if capacity < n:
        return _("符合条件的只有 %(capacity)s 个，不足 %(n)s 个。") % {"capacity": capacity, "n": n}
    return None


def eligible_members(population: list[dict], rule: dict) -> list[tuple[int, dict]]:
    strata = set(rule["exclude_strata"])
    keys = set(rule["exclude_keys"])
    return [
        (i, m)
        for i, m in enumerate(population)
        if m["stratum"] not in strata and m["key"] not in keys
    ]


def _ranked(digest: bytes, population: list[dict], rule: dict) -> list[dict]:
    pairs = eligible_members(population, rule)
    ranks = {i: _sha(digest, f"member:{i}".encode()).hex() for i, _ in pairs}
    pairs.sort(key=lambda pair: (ranks[pair[0]], pair[0]))
    return [m for _, m in pairs]


def _pick(digest: bytes, label: str, options: list) -> object:
    number = int.from_bytes(_sha(digest, label.encode()), "big")
    return options[number % len(options)]


def _select_quotas(rule: dict, ranked: list[dict], n: int) -> list[dict]:
    quota_of = {}
    for index, quota in enumerate(rule["quotas"]):
        for stratum in quota["strata"]:
            quota_of[stratum] = index
    taken = [0] * len(rule["quotas"])
    chosen: set[str] = set()
    for index, quota in enumerate(rule["quotas"]):
        need = _quota_min(quota, n)
        for member in ranked:
            if taken[index] >= need:
                break
            if quota_of.get(member["stratum"]) == index:
                chosen.add(member["key"])
                taken[index] += 1
    for member in ranked:
        if len(chosen) >= n:
            break
        if member["key"] in chosen:
            continue
        index = quota_of.get(member["stratum"])
        if index is not None:
            limit = rule["quotas"][index]["max"]
            if limit is not None and taken[index] >= limit:
                continue
            taken[index] += 1
        chosen.add(member["key"])
    return [m for m in ranked if m["key"] in chosen]


def _select_groups(digest: bytes, rule: dict, ranked: list[dict]) -> list[dict]:
    per_group = rule["per_group"]
    by_group: dict[str, list[dict]] = {}
    for member in ranked:
        by_group.setdefault(member["group"], []).append(member)
    if rule["group_count"] is None:
        short = sorted(g for g, ms in by_group.items() if len(ms) < per_group)
        if short:
            raise DrawError(
                _("分组“%(value)s”不足 %(per_group)s 个，无法每组抽取。")
                % {"value": short[0] or _("（未分组）"), "per_group": per_group}
            )
        groups = sorted(by_group)
    else:
        candidates = sorted(g for g, ms in by_group.items() if len(ms) >= per_group)
        if len(candidates) < rule["group_count"]:
            raise DrawError(
                _("至少有 %(per_group)s 个可抽项的分组只有 %(count)s 个，不足 %(group_count)s 个。")
                % {
                    "per_group": per_group,
                    "count": len(candidates),
                    "group_count": rule["group_count"],
                }
            )
        candidates.sort(key=lambda g: (_sha(digest, f"group:{g}".encode()).hex(), g))
        groups = candidates[: rule["group_count"]]
    chosen = {m["key"] for g in groups for m in by_group[g][:per_group]}
    return [m for m in ranked if m["key"] in chosen]


def feasible_counts(population: list[dict], rule: dict) -> tuple[list[int], str | None]:
    """Counts in the rule's range that can be satisfied, and the reason for the smallest miss."""
    eligible = [m for _, m in eligible_members(population, rule)]
    counts, first_reason = [], None
    # Counts above the eligible members can never be met: the loop stops there (same result).
    top = min(rule["count_max"], len(eligible))
    if rule["count_min"] > top:
        return [], _("符合条件的只有 %(count)s 个，不足 %(count_min)s 个。") % {
            "count": len(eligible),
            "count_min": rule["count_min"],
        }
    for n in range(rule["count_min"], top + 1):
        reason = quota_reason(rule, eligible, n)
        if reason is None:
            counts.append(n)
        elif first_reason is None:
            first_reason = reason
    return counts, first_reason


def run_draw(population, rule, seed) -> DrawOutcome:
    """Normalise the inputs and draw; raises DrawError with the reason when impossible."""
    population = normalise_population(population)
    rule = normalise_rule(rule)
    seed = normalise_seed(seed)
    digest_hex = draw_digest(population, rule, seed)
    digest = bytes.fromhex(digest_hex)
    ranked = _ranked(digest, population, rule)
    if not ranked:
        raise DrawError(_("排除后没有可抽取的对象。"))
    if rule["per_group"] is not None:
        selected = _select_groups(digest, rule, ranked)
    else:
        counts, reason = feasible_counts(population, rule)
        if not counts:
            raise DrawError(_("无法按规则抽取：%(reason)s") % {"reason": reason})
        n = counts[0] if len(counts) == 1 else _pick(digest, "count", counts)
        selected = _select_quotas(rule, ranked, n)
    return DrawOutcome(digest_hex, len(selected), tuple(m["key"] for m in selected))


def check_outcome(population, rule, keys) -> list[str]:
    """Every way the selected keys break the rule (empty when they satisfy it)."""
    population = normalise_population(population)
    rule = normalise_rule(rule)
    by_key = {m["key"]: m for m in population}
    problems = []
    if len(set(keys)) != len(keys):
        problems.append(_("结果中有重复项。"))
    chosen = [by_key.get(k) for k in keys]
    if any(m is None for m in chosen):
        return [*problems, _("结果中有不在抽取范围内的项。")]
    eligible_keys = {m["key"] for _, m in eligible_members(population, rule)}
    if any(m["key"] not in eligible_keys for m in chosen):
        problems.append(_("结果中有被排除的项。"))
    n = len(chosen)
    if rule["per_group"] is not None:
        counts: dict[str, int] = {}
        for m in chosen:
            counts[m["group"]] = counts.get(m["group"], 0) + 1
        if any(c != rule["per_group"] for c in counts.values()):
            problems.append(_("每组抽取数不符。"))
        if rule["group_count"] is not None and len(counts) != rule["group_count"]:
            problems.append(_("抽取组数不符。"))
        return problems
    if not rule["count_min"] <= n <= rule["count_max"]:
        problems.append(
            _("抽取数量 %(n)s 不在 %(count_min)s–%(count_max)s 之间。")
            % {"n": n, "count_min": rule["count_min"], "count_max": rule["count_max"]}
        )
    for quota in rule["quotas"]:
        got = sum(1 for m in chosen if m["stratum"] in quota["strata"])
        if got < _quota_min(quota, n):
            problems.append(
                _("“%(label)s”只有 %(got)s 个，少于要求。") % {"label": quota["label"], "got": got}
            )
        if quota["max"] is not None and got > quota["max"]:
            problems.append(
                _("“%(label)s”有 %(got)s 个，多于上限。") % {"label": quota["label"], "got": got}
            )
    return problems
