"""Test factories for the exams app: a bank with questions of every type, an exam, a sitting."""

from __future__ import annotations

from decimal import Decimal

from .importing import QuestionSpec
from .services.bank import bank_create, question_create

TOPICS = ["行政处罚法", "行政许可法", "行政强制法"]


def make_bank(owner_unit, name: str = "测试题库", *, per_type: int = 6):
    """`per_type` questions of each type, topics and difficulty in turn."""
    bank = bank_create(owner_unit=owner_unit, name=name)
    for index in range(per_type):
        topic = [TOPICS[index % len(TOPICS)]]
        difficulty = str(index % 3 + 1)
        for spec in (
            QuestionSpec("", "single", f"单选题{index}", ["甲", "乙", "丙", "丁"], "B"),
            QuestionSpec("", "multiple", f"多选题{index}", ["甲", "乙", "丙", "丁"], "AC"),
            QuestionSpec("", "tf", f"判断题{index}", [], "T" if index % 2 else "F"),
            QuestionSpec("", "fill", f"填空题{index}（ ）", [], [["十五日", "15日"]]),
            QuestionSpec("", "short", f"简答题{index}", [], "", "参考答案", "要点一\n要点二"),
        ):
            spec.topics, spec.difficulty = topic, difficulty
            question_create(bank=bank, spec=spec)
    return bank


def make_exam(indicator, bank, *, kind: str = "written", lines=None, **fields):
    from .services.exams import exam_save

    lines = lines or [
        {"type": "single", "count": 2, "points": Decimal("10")},
        {"type": "multiple", "count": 2, "points": Decimal("10")},
        {"type": "tf", "count": 2, "points": Decimal("10")},
        {"type": "fill", "count": 1, "points": Decimal("10")},
        {"type": "short", "count": 1, "points": Decimal("30")},
    ]
    return exam_save(
        indicator=indicator,
        bank=bank,
        kind=kind,
        title=fields.pop("title", "机关人员依法行政能力测试"),
        lines=lines,
        **fields,
    )
