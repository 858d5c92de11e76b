"""Questionnaires as .xlsx: one sheet of settings, one sheet of questions, one row per option.

The upload passes the project's one checker (kaohe.common.uploads: size, content, macros, zip
bombs). Every problem names its sheet, row and column; nothing is saved while any problem
remains (the caller saves only a clean result).
"""

import io
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from kaohe.common.excel import Sheet, workbook_bytes
from kaohe.common.text import join_list
from kaohe.common.uploads import IMPORT_XLSX, check_bytes

from .choices import TEXT_MAX_LENGTH, QuestionKind, QuestionnaireKind
from .services.questionnaires import QuestionSpec, check_question

INFO_SHEET = "问卷信息"
QUESTION_SHEET = "题目"
INFO_ROWS = [("title", "问卷标题"), ("kind", "类型"), ("intro", "开头语"), ("thanks", "结束语")]
HEADERS = ["部分", "题型", "题目", "必答", "选项", "分值", "最多字数"]
MAX_ROWS = 2000

MAX_PROBLEMS = 200


def _by_label(choices) -> dict[str, str]:
    """Kinds by the label the file carries: the file format is Chinese whatever the language
    of the page that exported or reads it (the page's own labels are accepted too)."""
    with translation.override(settings.LANGUAGE_CODE):
        labels = {str(label): value for value, label in choices}
    return labels | {str(label): value for value, label in choices}


def _label(choices, value) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return str(dict(choices)[value])


class ImportFailed(Exception):
    """Raised with every problem found; nothing has been written."""

    def __init__(self, messages: list[str]):
        super().__init__("\n".join(messages))
        self.messages = list(messages)


@dataclass
class Table:
    """One sheet: its label and numbered rows of cell values."""

    label: str
    rows: list[tuple[int, list]] = field(default_factory=list)


@dataclass
class Problems:
    messages: list[str] = field(default_factory=list)

    def add(self, sheet: str, row: int | None, column: str | None, message: str) -> None:
        if len(self.messages) >= MAX_PROBLEMS:
            return
        where = sheet
        if row is not None:
            where = _("%(sheet)s 第 %(row)s 行") % {"sheet": sheet, "row": row}
        if column:
            where = _("%(where)s“%(column)s”列") % {"where": where, "column": column}
        self.note(where, message)

    def note(self, where: str, message: str) -> None:
        self.messages.append(_("%(where)s：%(message)s") % {"where": where, "message": message})

    def raise_if_any(self) -> None:
        if self.messages:
            raise ImportFailed(self.messages)


def cell_text(value) -> str:
    """A cell as text: None → "", 3.0 → "3", surrounding spaces and blank lines dropped."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    lines = [line.strip() for line in str(value).replace("\r", "\n").split("\n")]
    return "\n".join(line for line in lines if line)


def _read_tables(name: str, data: bytes) -> dict[str, Table]:
    try:
        checked = check_bytes(name, data, IMPORT_XLSX)
    except ValidationError as exc:
        raise ImportFailed(exc.messages) from exc
    try:
        workbook = load_workbook(io.BytesIO(checked.data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for broken files
        raise ImportFailed(
            [_("文件“%(name)s”无法作为 Excel 工作簿读取，文件可能已损坏。") % {"name": name}]
        ) from exc
    tables = {}
    try:
        for ws in workbook.worksheets:
            table = Table(label=_("工作表“%(name)s”") % {"name": ws.title})
            for number, row in enumerate(ws.iter_rows(values_only=True), start=1):
                if number > MAX_ROWS:
                    raise ImportFailed(
                        [
                            _("%(sheet)s：超过 %(n)s 行，请拆分后导入。")
                            % {"sheet": table.label, "n": MAX_ROWS}
                        ]
                    )
                table.rows.append((number, list(row)))
            tables[ws.title] = table
    finally:
        workbook.close()
    return tables


def export_questionnaire(questionnaire, specs: list[QuestionSpec]) -> bytes:
    info = [
        ("问卷标题", questionnaire.title),
        ("类型", _label(QuestionnaireKind.choices, questionnaire.kind)),
        ("开头语", questionnaire.intro),
        ("结束语", questionnaire.thanks),
    ]
    rows = []
    for spec in specs:
        first = [
            spec.section,
            _label(QuestionKind.choices, spec.kind),
            spec.text,
            "是" if spec.required else "否",
        ]
        if spec.kind == QuestionKind.TEXT:
            rows.append([*first, "", "", spec.max_length])
            continue
        for index, (label, points) in enumerate(spec.choices):
            lead = first if index == 0 else ["", "", "", ""]
            rows.append([*lead, label, None if points is None else float(points), None])
    return workbook_bytes(
        [
            Sheet(INFO_SHEET, ["项目", "内容"], info, widths=[14, 60]),
            Sheet(QUESTION_SHEET, HEADERS, rows, widths=[16, 12, 48, 8, 16, 8, 10]),
        ]
    )


def _header_map(values: list) -> dict[str, int]:
    return {cell_text(v): i for i, v in enumerate(values) if cell_text(v)}


def _cell(values: list, index: int | None):
    if index is None or index >= len(values):
        return None
    return values[index]


def _read_info(table, problems: Problems) -> dict:
    labels = {label: name for name, label in INFO_ROWS}
    header = {}
    for _number, values in table.rows:
        key = cell_text(_cell(values, 0))
        if key in labels:
            header[labels[key]] = cell_text(_cell(values, 1))
    if not header.get("title"):
        problems.add(table.label, None, "问卷标题", _("缺少问卷标题。"))
    for name, limit in (("title", 128), ("thanks", 255)):
        if len(header.get(name, "")) > limit:
            label = dict(INFO_ROWS)[name]
            problems.add(table.label, None, label, _("超过 %(n)s 字。") % {"n": limit})
    kind = header.get("kind", "")
    kinds = _by_label(QuestionnaireKind.choices)
    if kind:
        if kind not in kinds:
            problems.add(
                table.label,
                None,
                "类型",
                _("“%(value)s”不是可用类型（%(kinds)s）。")
                % {"value": kind, "kinds": join_list(kinds)},
            )
        else:
            header["kind"] = kinds[kind]
    else:
        header["kind"] = QuestionnaireKind.OTHER
    return header


def _points(value, where, problems: Problems):
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        problems.add(*where, _("“%(value)s”不是数字。") % {"value": value})
        return None
    if not number.is_finite():
        problems.add(*where, _("“%(value)s”不是数字。") % {"value": value})
        return None
    return number.quantize(Decimal("0.01"))


def _start_question(values, cols, number, label, problems) -> QuestionSpec | None:
    kind_text = cell_text(_cell(values, cols.get("题型")))
    kinds = _by_label(QuestionKind.choices)
    kind = kinds.get(kind_text)
    if kind is None:
        problems.add(
            label,
            number,
            "题型",
            _("“%(value)s”不是可用题型（%(kinds)s）。")
            % {"value": kind_text, "kinds": join_list(kinds)},
        )
        return None
    required = cell_text(_cell(values, cols.get("必答"))) not in ("否", "N", "n", "0")
    length_text = cell_text(_cell(values, cols.get("最多字数")))
    max_length = TEXT_MAX_LENGTH
    if length_text:
        if not length_text.isdigit():
            problems.add(
                label, number, "最多字数", _("“%(value)s”不是整数。") % {"value": length_text}
            )
        else:
            max_length = int(length_text)
    return QuestionSpec(
        kind=kind,
        text=cell_text(_cell(values, cols.get("题目"))),
        required=required,
        section=cell_text(_cell(values, cols.get("部分"))),
        max_length=max_length,
    )


def _read_questions(table, problems: Problems) -> list[QuestionSpec]:
    rows = [(n, v) for n, v in table.rows if any(x not in (None, "") for x in v)]
    if not rows:
        problems.add(table.label, None, None, _("没有题目。"))
        return []
    cols = _header_map(rows[0][1])
    missing = [h for h in ("题型", "题目", "选项", "分值") if h not in cols]
    if missing:
        problems.add(
            table.label,
            rows[0][0],
            None,
            _("缺少列：%(columns)s。") % {"columns": join_list(missing)},
        )
        return []
    specs: list[tuple[int, QuestionSpec]] = []
    for number, values in rows[1:]:
        text = cell_text(_cell(values, cols["题目"]))
        option = cell_text(_cell(values, cols["选项"]))
        if text:
            spec = _start_question(values, cols, number, table.label, problems)
            if spec is None:
                continue
            specs.append((number, spec))
        elif not specs:
            problems.add(table.label, number, "题目", _("选项之前应先有题目。"))
            continue
        spec = specs[-1][1]
        if not option:
            continue
        where = (table.label, number, "分值")
        points = _points(_cell(values, cols["分值"]), where, problems)
        if spec.kind == QuestionKind.RATING and points is None:
            problems.add(
                *where,
                _("满意度评分题“%(question)s”的选项“%(option)s”没有分值。")
                % {"question": spec.text, "option": option},
            )
        spec.choices.append((option, points))
    for number, spec in specs:
        for message in check_question(spec):
            problems.add(table.label, number, "题目", message)
    return [spec for _number, spec in specs]


def read_questionnaire(name: str, data: bytes) -> tuple[dict, list[QuestionSpec]]:
    """The header and questions of an uploaded workbook, or ImportFailed listing every problem."""
    tables = _read_tables(name, data)
    problems = Problems()
    for needed in (INFO_SHEET, QUESTION_SHEET):
        if needed not in tables:
            problems.note(
                _("文件“%(name)s”") % {"name": name},
                _("缺少工作表“%(sheet)s”。") % {"sheet": needed},
            )
    problems.raise_if_any()
    header = _read_info(tables[INFO_SHEET], problems)
    specs = _read_questions(tables[QUESTION_SHEET], problems)
    problems.raise_if_any()
    return header, specs
