"""Reading what offices type in a question file: type names, answers, options, difficulty."""

from __future__ import annotations

import hashlib
import re
import unicodedata

from .choices import Difficulty, QuestionStatus, QuestionType

TYPE_SYNONYMS = {
    QuestionType.SINGLE: ("单选", "单选题", "单项选择", "单项选择题", "单项", "单择题"),
    QuestionType.MULTIPLE: (
        "多选",
        "多选题",
        "多项选择",
        "多项选择题",
        "多项",
        "不定项",
        "不定项选择",
        "不定项选择题",
    ),
    QuestionType.TRUE_FALSE: ("判断", "判断题", "是非题", "对错题", "正误题"),
    QuestionType.FILL: ("填空", "填空题"),
    QuestionType.SHORT: (
        "简答",
        "简答题",
        "问答",
        "问答题",
        "论述题",
        "案例分析",
        "案例分析题",
        "主观题",
        "现场提问",
    ),
}
_TYPE_LOOKUP = {name: code for code, names in TYPE_SYNONYMS.items() for name in names}
TRUE_WORDS = {"对", "正确", "√", "✓", "✔", "T", "TRUE", "是", "Y", "YES"}
FALSE_WORDS = {"错", "错误", "×", "✗", "✘", "X", "F", "FALSE", "否", "N", "NO"}
DIFFICULTY_WORDS = {
    Difficulty.EASY: ("易", "容易", "简单", "较易", "1", "低"),
    Difficulty.MEDIUM: ("中", "中等", "一般", "适中", "2"),
    Difficulty.HARD: ("难", "困难", "较难", "3", "高"),
}
STATUS_WORDS = {
    QuestionStatus.DRAFT: ("草稿", "草拟", "待审"),
    QuestionStatus.ACTIVE: ("在用", "启用", "使用", "正常"),
    QuestionStatus.RETIRED: ("停用", "作废", "退出"),
}
OPTION_MARK = re.compile(r"(?:^|(?<=\s))[（(]?([A-Fa-fＡ-Ｆ])[)）]?\s*[.．、:：)）]\s*")
LETTERS = "ABCDEF"
MAX_STEM, MAX_OPTION, MAX_TEXT = 2000, 500, 4000


def _key(text: str) -> str:
    return re.sub(r"[\s\u3000]", "", unicodedata.normalize("NFKC", str(text or "")))


def parse_type(text: str) -> str | None:
    return _TYPE_LOOKUP.get(_key(text))


def parse_difficulty(text: str) -> str | None:
    key = _key(text)
    if not key:
        return Difficulty.MEDIUM
    for code, words in DIFFICULTY_WORDS.items():
        if key in words:
            return code
    return None


def parse_status(text: str) -> str | None:
    key = _key(text)
    if not key:
        return QuestionStatus.ACTIVE
    for code, words in STATUS_WORDS.items():
        if key in words:
            return code
    return None


def parse_true_false(text: str) -> str | None:
    key = _key(text).upper()
    if key in {w.upper() for w in TRUE_WORDS}:
        return "T"
    if key in {w.upper() for w in FALSE_WORDS}:
        return "F"
    return None


def parse_letters(text: str) -> str | None:
    """'AC', 'A、C', 'a,c', 'A C' → 'AC'; None when anything else is in the cell."""
    key = re.sub(r"[\s,，、;；/|]", "", unicodedata.normalize("NFKC", str(text or ""))).upper()
    if not key or any(c not in LETTERS for c in key):
        return None
    if len(set(key)) != len(key):
        return None
    return "".join(sorted(key))


def split_options(text: str) -> list[str]:
    """One cell of options: 'A.甲\\nB.乙' or 'A、甲 B、乙' → ['甲', '乙']."""
    text = str(text or "").strip()
    if not text:
        return []
    marks = list(OPTION_MARK.finditer(text))
    if marks and marks[0].start() == 0:
        parts = []
        for index, mark in enumerate(marks):
            end = marks[index + 1].start() if index + 1 < len(marks) else len(text)
            parts.append(text[mark.end() : end].strip())
        return parts
    return [line.strip() for line in text.split("\n") if line.strip()]


def strip_option_mark(text: str) -> str:
    """'A. 甲' typed into column A → '甲'."""
    text = str(text or "").strip()
    match = OPTION_MARK.match(text)
    return text[match.end() :].strip() if match else text


def parse_fill(text: str) -> list[list[str]]:
    """Blanks separated by ；/; or line breaks; accepted answers of one blank by | or ｜."""
    blanks = []
    for part in re.split(r"[;；\n]+", str(text or "")):
        accepted = [a.strip() for a in re.split(r"[|｜]", part) if a.strip()]
        if accepted:
            blanks.append(accepted)
    return blanks


def fill_text(blanks: list[list[str]]) -> str:
    return "；".join("|".join(accepted) for accepted in blanks)


def fingerprint(qtype: str, stem: str) -> str:
    """Same type and same stem ignoring spaces, width and punctuation → duplicate."""
    text = unicodedata.normalize("NFKC", stem)
    text = re.sub(r"[\s\W_]+", "", text).casefold()
    return hashlib.sha256(f"{qtype}:{text}".encode()).hexdigest()


def answer_text(qtype: str, answer) -> str:
    """How an answer is written back to a file or shown to the team."""
    if qtype == QuestionType.TRUE_FALSE:
        return "对" if answer == "T" else "错"
    if qtype == QuestionType.FILL:
        return fill_text(answer or [])
    return str(answer or "")


def split_topics(text: str) -> list[str]:
    parts = re.split(r"[、,，;；\n]+", str(text or ""))
    return list(dict.fromkeys(p.strip()[:64] for p in parts if p.strip()))
