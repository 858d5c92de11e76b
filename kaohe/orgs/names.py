"""Understanding how task tables name units: group phrases and abbreviations.

Pure functions over names (no database): `category_phrase` says whether a text means "all
subjects of some categories" (各县市区人民政府, 市直考核对象 …); `suggest_units` ranks units a
short or unknown name probably means (市住建局 → 市住房和城乡建设局), for the office to confirm.
"""

import os
import re
from dataclasses import dataclass
from difflib import SequenceMatcher

# Words offices shorten, longest first (市住建局 → 市住房和城乡建设局).
EXPANSIONS = [
    ("住建", "住房和城乡建设"),
    ("卫健", "卫生健康"),
    ("人社", "人力资源和社会保障"),
    ("发改", "发展改革"),
    ("工信", "工业和信息化"),
    ("资规", "自然资源和规划"),
    ("文广旅", "文化广电旅游"),
    ("市监", "市场监管"),
    ("城管", "城市管理"),
    ("退役军人事务", "退役军人"),
    ("交通局", "交通运输局"),
    ("管理局", "局"),
]

ALL_WORDS = re.compile(r"^(全部|所有|各|全体)?(考核对象|被考核单位)$")
COUNTY_WORDS = re.compile(r"各县|县[（(]?[市、]*区[）)]?|县市区|县区")
CITY_DEPT_WORDS = re.compile(r"市直")


@dataclass(frozen=True)
class CategoryInfo:
    pk: int
    code: str
    name: str


def category_phrase(text: str, categories: list[CategoryInfo]) -> list[int] | None:
    """The category ids a group phrase stands for, or None when the text is not such a phrase.

    各县市区人民政府 / 各县（区） / 县（市、区） → categories whose name has 县 or 区 (县区, 功能区);
    市直考核对象 / 市直各单位 / 市直各部门 → categories whose name has 市直; 全部考核对象 → all.
    """
    text = re.sub(r"\s", "", text or "")
    if not text:
        return None
    if ALL_WORDS.match(text):
        return [c.pk for c in categories]
    if COUNTY_WORDS.search(text) and (text.startswith("各") or "县（" in text or "县(" in text):
        return [c.pk for c in categories if "县" in c.name or "区" in c.name] or None
    if CITY_DEPT_WORDS.search(text) and re.search(r"各|考核对象|全部|所有", text):
        return [c.pk for c in categories if "市直" in c.name or c.code == "department"] or None
    return None


def _expand(name: str) -> str:
    for short, full in EXPANSIONS:
        if short in name and (full not in name or len(full) < len(short)):
            name = name.replace(short, full)
    return name


def _subsequence(short: str, full: str) -> bool:
    it = iter(full)
    return all(ch in it for ch in short)


def name_score(name: str, candidate: str) -> float:
    """How likely `name` is a way of writing `candidate`, 0–1."""
    if not name or not candidate:
        return 0.0
    if name == candidate:
        return 1.0
    expanded = _expand(name)
    if expanded == candidate:
        return 0.98
    if candidate.startswith(expanded) or candidate.startswith(name):
        return 0.95  # 市自然资源 → 市自然资源和规划局
    ratio = SequenceMatcher(None, expanded, candidate).ratio()
    shared = len(os.path.commonprefix([expanded, candidate]))
    ratio = min(0.89, ratio + 0.05 * max(0, shared - 1))  # 市卫生监督局 is nearer 市卫生健康委
    if name[0] == candidate[0] and _subsequence(name, candidate):
        return max(0.9, ratio)  # 市卫健委 → 市卫生健康委, 市交通局 → 市交通运输局
    return ratio


def suggest_units(name: str, candidates: list[tuple[int, str]], limit: int = 3, floor=0.45):
    """The best (pk, name, score) for an unknown name, highest first; empty when nothing is close."""
    scored = [(pk, cand, name_score(name, cand)) for pk, cand in candidates]
    scored = [s for s in scored if s[2] >= floor]
    scored.sort(key=lambda s: (-s[2], len(s[1]), s[1]))
    return scored[:limit]
