"""A bank as an .xlsx in the layout the importer reads (options in columns A–F)."""

from __future__ import annotations

from django.conf import settings
from django.utils import translation

from kaohe.common.excel import Sheet, workbook_bytes

from .question_text import LETTERS, answer_text

HEADERS = ["题型", "题干", *LETTERS, "答案", "专题", "难度", "解析", "参考答案", "评分要点", "状态"]


def question_row(question) -> list:
    options = list(question.options or []) + [""] * (len(LETTERS) - len(question.options or []))
    return [
        question.get_qtype_display(),
        question.stem,
        *options[: len(LETTERS)],
        answer_text(question.qtype, question.answer) if question.qtype != "short" else "",
        "、".join(t.name for t in question.topics.all()),
        question.get_difficulty_display(),
        question.explanation,
        question.reference_answer,
        question.marking_points,
        question.get_status_display(),
    ]


def bank_xlsx(bank) -> bytes:
    """In the importer's (Chinese) words whatever the language of the page that asks for it."""
    with translation.override(settings.LANGUAGE_CODE):
        return _bank_xlsx(bank)


def _bank_xlsx(bank) -> bytes:
    questions = bank.questions.prefetch_related("topics").order_by("qtype", "id")
    widths = [8, 60, *([18] * len(LETTERS)), 10, 18, 6, 40, 40, 40, 6]
    return workbook_bytes([Sheet("试题", HEADERS, (question_row(q) for q in questions), widths)])
