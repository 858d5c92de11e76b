"""Drafts of the notice's 存在问题 and 下一步工作要求 from what the assessment found.

The office edits them; nothing here is published without being read. Facts used: the most
frequent deductions (score notes on deduction and penalty items, 暗访 deductions), checklist
items most often failed, and rectification items still open.
"""

from collections import Counter, defaultdict

from django.apps import apps

from kaohe.schemes.choices import ScoringMethod
from kaohe.schemes.models import Scheme, ScoreEntry

from .notice_content import cn_number

TOP = 3
DEDUCTING = (ScoringMethod.DEDUCTION, ScoringMethod.PENALTY)


def _model(label: str, name: str):
    try:
        return apps.get_model(label, name)
    except LookupError:
        return None


def frequent_deductions(scheme: Scheme, top: int = TOP) -> list[tuple[str, str, int]]:
    """(indicator name, reason, number of units) for the most frequent deduction reasons."""
    units: dict[tuple[str, str], set] = defaultdict(set)
    entries = (
        ScoreEntry.objects.filter(subject__scheme=scheme, indicator__method__in=DEDUCTING)
        .exclude(note="")
        .exclude(value=0)
        .values_list("indicator__name", "note", "subject_id")
    )
    for name, note, subject_id in entries:
        units[(name, note.strip())].add(subject_id)
    deduction = _model("onsite", "Deduction")
    if deduction is not None:
        for name, reason, subject_id in deduction.objects.filter(
            subject__scheme=scheme, withdrawn=False
        ).values_list("indicator__name", "reason", "subject_id"):
            units[(name, reason.strip())].add(subject_id)
    ranked = sorted(units.items(), key=lambda kv: (-len(kv[1]), kv[0]))
    return [(name, reason, len(ids)) for (name, reason), ids in ranked[:top]]


def failed_checklist_items(scheme: Scheme, top: int = TOP) -> list[tuple[str, str, int]]:
    """(indicator name, item text, number of units) for the checklist items most often failed."""
    answer = _model("onsite", "ChecklistAnswer")
    if answer is None:
        return []
    counts: Counter = Counter()
    seen = set()
    for name, text, subject_id in answer.objects.filter(
        fill__checklist__indicator__scheme=scheme, result="fail"
    ).values_list("fill__checklist__indicator__name", "item__text", "fill__subject_id"):
        if (name, text, subject_id) not in seen:
            seen.add((name, text, subject_id))
            counts[(name, text)] += 1
    return [(name, text, n) for (name, text), n in counts.most_common(top)]


def open_rectifications(scheme: Scheme) -> tuple[int, int]:
    """(open items, units with open items)."""
    item = _model("rectification", "RectificationItem")
    if item is None:
        return 0, 0
    qs = item.objects.filter(scheme=scheme, status__in=("open", "submitted", "returned"))
    return qs.count(), qs.values("subject_id").distinct().count()


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split()).rstrip("。；;，,")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def draft_problems(scheme: Scheme) -> str:
    """存在问题, one （一） paragraph per finding, most frequent first."""
    paragraphs = []
    for name, reason, n in frequent_deductions(scheme):
        paragraphs.append(
            f"{name}方面存在不足。{n}个单位在该项被扣分，主要问题是：{_short(reason)}。"
        )
    for name, text, n in failed_checklist_items(scheme):
        paragraphs.append(f"{name}落实不到位。实地检查中，{n}个单位未达到“{_short(text)}”的要求。")
    if not paragraphs:
        return ""
    return "\n".join(f"（{cn_number(i)}）{text}" for i, text in enumerate(paragraphs, start=1))


def draft_requirements(scheme: Scheme) -> str:
    """下一步工作要求: rectify what was found, with the open items counted."""
    items, units = open_rectifications(scheme)
    found = [name for name, _, _ in frequent_deductions(scheme)]
    found += [name for name, _, _ in failed_checklist_items(scheme) if name not in found]
    lines = [
        "（一）切实做好考核发现问题的整改落实。各地、各部门要针对此次考核发现的问题和薄弱环节，"
        "制订方案，细化措施，明确责任，限期整改。"
        + (
            f"目前尚有{units}个单位的{items}项问题未完成整改，须在整改期限内完成并提交整改材料。"
            if items
            else ""
        )
    ]
    if found:
        lines.append(
            f"（二）重点补齐{'、'.join(found[:TOP])}等方面的短板，健全相关制度，"
            "举一反三，防止同类问题再次发生。"
        )
    lines.append(
        f"（{cn_number(len(lines) + 1)}）进一步强化依法行政第一责任人职责，把考核结果运用到"
        f"{scheme.year + 1}年度工作中，推动依法行政工作水平持续提升。"
    )
    return "\n".join(lines)
