"""A question file (.xlsx) → checked question specs, or every problem by sheet, row, column.

Nothing is written here; `services.bank.questions_import` writes all of it or nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from . import question_text as qt
from .choices import CHOICE_TYPES, QuestionType
from .sheets import (
    Problems,
    Table,
    cell_text,
    check_upload,
    find_header,
    header_key,
    is_header_again,
    is_uncomputed_formula,
    iter_nonblank,
    read_xlsx,
    split_names,
)

MAX_ROWS = 5000
COLUMNS = {
    "qtype": ("题型", "试题类型", "题目类型", "类型"),
    "stem": ("题干", "题目", "试题", "试题内容", "题目内容", "问题"),
    "options": ("选项", "备选项", "备选答案", "选项内容"),
    "answer": ("答案", "正确答案", "标准答案"),
    "reference": ("参考答案", "答题要点"),
    "points": ("评分要点", "得分要点", "采分点"),
    "topics": ("专题", "知识点", "所属专题", "法律法规", "分类", "题目分类", "所属法律"),
    "difficulty": ("难度", "难易程度", "难易度", "难度等级"),
    "explanation": ("解析", "答案解析", "试题解析", "解释"),
    "status": ("状态", "试题状态"),
    **{
        f"opt{letter}": (letter, f"选项{letter}", f"{letter}选项", f"选项 {letter}")
        for letter in qt.LETTERS
    },
}
LABELS = {
    "qtype": "题型",
    "stem": "题干",
    "options": "选项",
    "answer": "答案",
    "reference": "参考答案",
    "points": "评分要点",
    "topics": "专题",
    "difficulty": "难度",
    "explanation": "解析",
    "status": "状态",
    **{f"opt{letter}": letter for letter in qt.LETTERS},
}

GUIDE_KEYS = ("qtype", "stem", "options", "answer", "topics", "difficulty", "explanation")
GUIDE_KEYS += ("reference", "points", "status")


def column_guide() -> list[tuple[str, str]]:
    """The header names the importer reads — Chinese, as offices write them, whatever the page's
    language — each with its meaning in the page's language."""
    return [(LABELS[key], _(LABELS[key])) for key in GUIDE_KEYS]


@dataclass
class QuestionSpec:
    """One question read from a row, ready to be saved."""

    where: str
    qtype: str
    stem: str
    options: list[str] = field(default_factory=list)
    answer: object = ""
    reference_answer: str = ""
    marking_points: str = ""
    explanation: str = ""
    topics: list[str] = field(default_factory=list)
    difficulty: str = "2"
    status: str = "active"

    @property
    def fingerprint(self) -> str:
        return qt.fingerprint(self.qtype, self.stem)


@dataclass
class Reading:
    specs: list[QuestionSpec]
    problems: Problems


def read_file(name: str, data: bytes) -> Reading:
    """Check the upload, read every sheet with a question header, collect problems."""
    problems = Problems()
    upload = check_upload(name, data, allowed=("xlsx",))
    tables = read_xlsx(upload, max_rows=MAX_ROWS)
    specs: list[QuestionSpec] = []
    found_header = False
    for table in tables:
        header = _header(table)
        if header is None or "stem" not in header.columns:
            continue
        found_header = True
        specs.extend(_read_table(table, header, problems))
    if not found_header:
        problems.note(
            _("文件“%(name)s”") % {"name": upload.name},
            _("没有找到试题表头（至少需要“题干”列和“题型”或“答案”列）。"),
        )
    _duplicates(specs, problems)
    if len(specs) > MAX_ROWS:
        problems.note(
            _("文件“%(name)s”") % {"name": upload.name},
            _("一次最多导入 %(n)s 道试题。") % {"n": MAX_ROWS},
        )
    return Reading(specs, problems)


def _header(table: Table):
    """The header row; a second header row (e.g. A–F under a merged 选项) only when every
    filled cell of it is a column name — a data row whose answer is "B" is not a header."""
    header = find_header(table, COLUMNS, needed=2)
    if header is None or header.last_row == header.first_row:
        return header
    below = dict(table.rows).get(header.last_row) or []
    names = {header_key(n) for names in COLUMNS.values() for n in names}
    if all(header_key(cell_text(v)) in names for v in below if v not in (None, "")):
        return header
    first = [(n, v) for n, v in table.rows if n == header.first_row]
    return find_header(Table(label=table.label, rows=first), COLUMNS, needed=2)


def _read_table(table: Table, header, problems: Problems) -> list[QuestionSpec]:
    sheet_type = qt.parse_type(table.label[4:-1])
    if "qtype" not in header.columns and sheet_type is None:
        problems.add(table.label, header.first_row, None, _("没有“题型”列，工作表名称也不是题型。"))
        return []
    out = []
    for number, values in iter_nonblank(table, header.last_row + 1):
        if is_header_again(values, header, COLUMNS):
            continue
        spec = _read_row(table, header, number, values, sheet_type, problems)
        if spec is not None:
            out.append(spec)
    return out


def _cell(table, header, values, key, number, problems) -> str:
    col = header.columns.get(key)
    if col is None or col >= len(values):
        return ""
    value = values[col]
    if is_uncomputed_formula(value):
        problems.add(table.label, number, header.title(key), _("公式没有计算结果，请改为文字。"))
        return ""
    return cell_text(value)


def _read_row(table, header, number, values, sheet_type, problems) -> QuestionSpec | None:
    def cell(key):
        return _cell(table, header, values, key, number, problems)

    def bad(key, message):
        problems.add(table.label, number, header.title(key) or LABELS[key], message)

    before = len(problems.messages)
    qtype = sheet_type
    if "qtype" in header.columns:
        qtype = qt.parse_type(cell("qtype")) or (None if cell("qtype") else sheet_type)
        if qtype is None:
            bad(
                "qtype",
                _("题型“%(value)s”无法识别（可写 单选、多选、判断、填空、简答）。")
                % {"value": cell("qtype")},
            )
            return None
    stem = cell("stem")
    if not stem:
        bad("stem", _("题干为空。"))
    elif len(stem) > qt.MAX_STEM:
        bad("stem", _("题干超过 %(n)s 字。") % {"n": qt.MAX_STEM})
    spec = QuestionSpec(
        where=_("%(sheet)s 第 %(row)s 行") % {"sheet": table.label, "row": number},
        qtype=qtype,
        stem=stem,
    )
    spec.topics = split_names(cell("topics"))
    spec.explanation = cell("explanation")[: qt.MAX_TEXT]
    spec.difficulty = qt.parse_difficulty(cell("difficulty"))
    if spec.difficulty is None:
        bad(
            "difficulty", _("难度“%(value)s”无法识别（易/中/难）。") % {"value": cell("difficulty")}
        )
    spec.status = qt.parse_status(cell("status"))
    if spec.status is None:
        bad("status", _("状态“%(value)s”无法识别（草稿/在用/停用）。") % {"value": cell("status")})
    _read_answer(spec, cell, bad, header)
    return spec if len(problems.messages) == before else None


def _options(cell, header) -> list[str]:
    columns = [cell(f"opt{letter}") for letter in qt.LETTERS if f"opt{letter}" in header.columns]
    if any(columns):
        while columns and not columns[-1]:
            columns.pop()
        return [qt.strip_option_mark(c) for c in columns]
    return qt.split_options(cell("options"))


def _read_answer(spec: QuestionSpec, cell, bad, header) -> None:
    raw = cell("answer")
    if spec.qtype in CHOICE_TYPES:
        spec.options = _options(cell, header)
        if len(spec.options) < 2 or any(not o for o in spec.options):
            bad("options", _("选择题至少需要 2 个选项，且选项不能为空（A–F 列或一格内分行）。"))
            return
        if any(len(o) > qt.MAX_OPTION for o in spec.options):
            bad("options", _("选项超过 %(n)s 字。") % {"n": qt.MAX_OPTION})
        answer = qt.parse_letters(raw)
        if not raw:
            bad("answer", _("缺少答案。"))
        elif answer is None:
            bad("answer", _("答案“%(value)s”应为选项字母，如 A 或 AC、A、C。") % {"value": raw})
        elif any(qt.LETTERS.index(c) >= len(spec.options) for c in answer):
            bad(
                "answer",
                _("答案“%(value)s”中的字母没有对应的选项（共 %(n)s 个选项）。")
                % {"value": raw, "n": len(spec.options)},
            )
        elif spec.qtype == QuestionType.SINGLE and len(answer) != 1:
            bad("answer", _("单选题只能有一个答案，这里是“%(value)s”。") % {"value": raw})
        elif spec.qtype == QuestionType.MULTIPLE and len(answer) < 2:
            bad(
                "answer",
                _("多选题至少有两个正确选项，这里是“%(value)s”（是否应为单选题？）。")
                % {"value": raw},
            )
        spec.answer = answer or ""
    elif spec.qtype == QuestionType.TRUE_FALSE:
        spec.answer = qt.parse_true_false(raw)
        if spec.answer is None:
            bad(
                "answer",
                _("判断题答案“%(value)s”应为 对/错、√/×、正确/错误。") % {"value": raw}
                if raw
                else _("缺少答案。"),
            )
    elif spec.qtype == QuestionType.FILL:
        spec.answer = qt.parse_fill(raw)
        if not spec.answer:
            bad("answer", _("填空题缺少答案（多个空用“；”分隔，同一空的多种答案用“|”分隔）。"))
    else:
        spec.reference_answer = (cell("reference") or raw)[: qt.MAX_TEXT]
        spec.marking_points = cell("points")[: qt.MAX_TEXT]
        if not spec.reference_answer and not spec.marking_points:
            bad("reference", _("简答题需要参考答案或评分要点。"))


def _duplicates(specs: list[QuestionSpec], problems: Problems) -> None:
    seen: dict[str, str] = {}
    for spec in specs:
        first = seen.setdefault(spec.fingerprint, spec.where)
        if first != spec.where:
            problems.note(
                spec.where, _("与%(first)s的试题重复（题型和题干相同）。") % {"first": first}
            )
