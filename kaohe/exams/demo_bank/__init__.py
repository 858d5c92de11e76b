"""The demo's question bank, written for kaohe (original wording, no copied material).

Each module holds one kind of question as plain tuples; `load_demo_bank` imports them through
the same service as an uploaded file.
"""

from __future__ import annotations

from ..importing import QuestionSpec
from . import choice, judge, multiple, written

BANK_NAME = "依法行政能力测试题库（演示）"


def specs() -> list[QuestionSpec]:
    out = []
    for topic, difficulty, stem, options, answer, explanation in choice.SINGLE:
        out.append(_spec("single", topic, difficulty, stem, options, answer, explanation))
    for topic, difficulty, stem, options, answer, explanation in multiple.MULTIPLE:
        out.append(_spec("multiple", topic, difficulty, stem, options, answer, explanation))
    for topic, difficulty, stem, answer, explanation in judge.TRUE_FALSE:
        out.append(_spec("tf", topic, difficulty, stem, [], answer, explanation))
    for topic, difficulty, stem, blanks, explanation in written.FILL:
        out.append(_spec("fill", topic, difficulty, stem, [], blanks, explanation))
    for topic, difficulty, stem, reference, points in written.SHORT:
        spec = _spec("short", topic, difficulty, stem, [], "", "")
        spec.reference_answer, spec.marking_points = reference, points
        out.append(spec)
    return out


def _spec(qtype, topic, difficulty, stem, options, answer, explanation) -> QuestionSpec:
    return QuestionSpec(
        where=f"演示题库 {qtype}",
        qtype=qtype,
        stem=stem,
        options=list(options),
        answer=answer,
        explanation=explanation,
        topics=[topic],
        difficulty=str(difficulty),
    )


def load_demo_bank(owner_unit, *, actor=None):
    """Create the demo bank under `owner_unit` (once); returns it."""
    from ..models import QuestionBank
    from ..services.bank import bank_create, questions_import

    bank = QuestionBank.objects.filter(owner_unit=owner_unit, name=BANK_NAME).first()
    if bank is not None:
        return bank
    bank = bank_create(
        owner_unit=owner_unit, name=BANK_NAME, description="演示用，内容为本项目自编", actor=actor
    )
    questions_import(bank=bank, specs=specs(), file_name="演示题库", actor=actor)
    return bank
