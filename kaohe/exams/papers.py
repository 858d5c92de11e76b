"""A paper as it is shown or printed: questions in the examinee's (or version's) order, options
relettered. Never includes answers, explanations or marking points unless `with_key=True`."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from .choices import QuestionType
from .models import Question
from .paper_engine import key_pk
from .question_text import LETTERS, answer_text

BLANK = re.compile(r"[（(]\s*[)）]|_{2,}")


@dataclass
class PaperItem:
    number: int
    key: str
    qtype: str
    type_label: str
    stem: str
    points: Decimal
    options: list[tuple[str, str, str]] = field(default_factory=list)  # shown, original, text
    blanks: int = 0
    response: object = ""
    key_text: str = ""
    explanation: str = ""
    marking_points: str = ""

    def chosen(self, original: str) -> bool:
        return original in str(self.response or "")

    @property
    def fills(self) -> list[tuple[int, str]]:
        given = self.response if isinstance(self.response, list) else []
        return [(i, given[i] if i < len(given) else "") for i in range(self.blanks)]


def paper_for(
    layout: list[dict], points: dict[str, Decimal], *, responses=None, with_key: bool = False
):
    questions = Question.objects.in_bulk([key_pk(item["q"]) for item in layout])
    responses = responses or {}
    items = []
    for number, entry in enumerate(layout, start=1):
        question = questions[key_pk(entry["q"])]
        item = PaperItem(
            number=number,
            key=entry["q"],
            qtype=question.qtype,
            type_label=str(QuestionType(question.qtype).label),
            stem=question.stem,
            points=points.get(entry["q"], Decimal("0")),
            response=responses.get(question.pk, ""),
        )
        if question.qtype in ("single", "multiple"):
            item.options = [
                (LETTERS[shown], LETTERS[original], question.options[original])
                for shown, original in enumerate(entry["opts"])
            ]
        if question.qtype == "fill":
            item.blanks = max(1, len(question.answer or []))
        if with_key:
            item.key_text = _shown_key(question, entry)
            item.explanation = question.explanation
            item.marking_points = question.marking_points or question.reference_answer
        items.append(item)
    return items


def _shown_key(question: Question, entry: dict) -> str:
    """The key in the letters this layout shows."""
    if question.qtype in ("single", "multiple"):
        shown = {LETTERS[original]: LETTERS[i] for i, original in enumerate(entry["opts"])}
        return "".join(sorted(shown[c] for c in question.answer))
    if question.qtype == "short":
        return question.reference_answer
    if question.qtype == "tf":
        return _("对") if question.answer == "T" else _("错")
    return answer_text(question.qtype, question.answer)


def sections(items: list[PaperItem]) -> list[tuple[str, list[PaperItem]]]:
    out: list[tuple[str, list[PaperItem]]] = []
    for item in items:
        if not out or out[-1][0] != item.type_label:
            out.append((item.type_label, []))
        out[-1][1].append(item)
    return out
