"""Question files the way offices write them, and the bad ones (every problem located)."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook

from kaohe.exams.importing import read_file
from kaohe.exams.models import QuestionBank
from kaohe.exams.sheets import ImportFailed


def xlsx(rows, *, title="Sheet1", merges=(), more=None) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = title
    for row in rows:
        ws.append(row)
    for rng in merges:
        ws.merge_cells(rng)
    for sheet_title, sheet_rows in (more or {}).items():
        extra = wb.create_sheet(sheet_title)
        for row in sheet_rows:
            extra.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def read(data, name="题库.xlsx"):
    reading = read_file(name, data)
    return reading.specs, reading.problems.messages


def test_office_layouts_are_read():
    data = xlsx(
        [
            [
                "序号",
                "题目类型",
                "试题内容",
                "A",
                "B",
                "C",
                "D",
                "正确答案",
                "知识点",
                "难易程度",
                "答案解析",
            ],
            [1, "单项选择", "题一", "A.甲", "乙", "丙", "丁", "c", "行政处罚法", "易", "解析一"],
            [2, "多选题", "题二", "甲", "乙", "丙", None, "A、C", None, "难", None],
            [3, "不定项选择题", "题三", "甲", "乙", "丙", "丁", "ABD", None, None, None],
            [4, "判断题", "题四", None, None, None, None, "×", "行政许可法", "中", None],
            [5, "是非题", "题五", None, None, None, None, "正确", None, "", None],
            [6, "填空", "题六（ ）", None, None, None, None, "十五日|15日；书面", None, None, None],
            [7, "简答题", "题七", None, None, None, None, "参考答案七", None, None, None],
        ],
        merges=["I2:I4"],
    )
    specs, problems = read(data)
    assert problems == []
    by_stem = {s.stem: s for s in specs}
    assert by_stem["题一"].options == ["甲", "乙", "丙", "丁"] and by_stem["题一"].answer == "C"
    assert by_stem["题一"].difficulty == "1" and by_stem["题一"].explanation == "解析一"
    assert by_stem["题二"].qtype == "multiple" and by_stem["题二"].answer == "AC"
    assert by_stem["题二"].options == ["甲", "乙", "丙"]
    assert by_stem["题三"].topics == ["行政处罚法"]  # merged topic cell I2:I4
    assert by_stem["题四"].answer == "F" and by_stem["题五"].answer == "T"
    assert by_stem["题六（ ）"].answer == [["十五日", "15日"], ["书面"]]
    assert by_stem["题七"].reference_answer == "参考答案七"


def test_options_in_one_cell_and_sheet_named_by_type():
    data = xlsx(
        [["题干", "选项", "答案"], ["题一", "A．甲 B．乙 C．丙", "B"], ["题二", "甲\n乙", "A"]],
        title="单选题",
    )
    specs, problems = read(data)
    assert problems == []
    assert [s.options for s in specs] == [["甲", "乙", "丙"], ["甲", "乙"]]
    assert all(s.qtype == "single" for s in specs)


def test_every_problem_named_by_sheet_row_and_column():
    data = xlsx(
        [
            ["题型", "题干", "A", "B", "C", "答案"],
            ["单选", "缺答案", "甲", "乙", None, None],
            ["单选", "字母无选项", "甲", "乙", None, "D"],
            ["单选", "单选两个答案", "甲", "乙", None, "AB"],
            ["判断", "怪答案", None, None, None, "也许"],
            ["论文题", "未知题型", None, None, None, "x"],
            ["多选", "重复", "甲", "乙", "丙", "AB"],
            ["多选", "重 复", "甲", "乙", "丙", "AC"],
            ["简答", "没有参考", None, None, None, None],
        ],
        title="试题",
    )
    specs, problems = read(data)
    text = "\n".join(problems)
    assert "工作表“试题” 第 2 行“答案”列：缺少答案" in text
    assert "第 3 行“答案”列：答案“D”中的字母没有对应的选项" in text
    assert "第 4 行“答案”列：单选题只能有一个答案" in text
    assert "第 5 行“答案”列：判断题答案“也许”" in text
    assert "第 6 行“题型”列：题型“论文题”无法识别" in text
    assert "第 8 行：与工作表“试题” 第 7 行的试题重复" in text
    assert "第 9 行" in text and "简答题需要参考答案或评分要点" in text


def test_formula_values_and_uncomputed_formulas():
    data = xlsx([["题型", "题干", "答案"], ["判断", '="公式"&"题干"', "对"]])
    specs, problems = read(data)
    assert any("公式没有计算结果" in p for p in problems)


def test_old_xls_and_not_a_workbook_are_refused():
    with pytest.raises(ImportFailed) as exc:
        read_file("题库.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100)
    assert "另存为 .xlsx" in exc.value.messages[0]
    with pytest.raises(ImportFailed):
        read_file("题库.xlsx", b"not a zip")


def test_five_thousand_rows_read_and_more_refused():
    rows = [["题型", "题干", "答案"]] + [["判断", f"题{i}", "对"] for i in range(5000)]
    specs, problems = read(xlsx(rows))
    assert problems == [] and len(specs) == 5000
    with pytest.raises(ImportFailed) as exc:
        read(xlsx(rows + [["判断", f"再{i}", "对"] for i in range(30)]))
    assert "超过一次导入的上限" in exc.value.messages[0]


@pytest.mark.django_db
def test_command_dry_run_then_import_and_duplicates(tmp_path, capsys):
    from kaohe.common.testing import make_unit

    make_unit("濮阳市")
    path = tmp_path / "q.xlsx"
    path.write_bytes(
        xlsx(
            [
                ["题型", "题干", "答案", "专题"],
                ["判断", "甲", "对", "行政处罚法"],
                ["判断", "乙", "错", "行政许可法"],
            ]
        )
    )
    call_command("import_questions", str(path), "--bank", "测试库", "--dry-run")
    out = capsys.readouterr().out
    assert "共 2 道试题" in out and "判断题：2" in out and "行政许可法：1" in out
    assert not QuestionBank.objects.exists()
    call_command("import_questions", str(path), "--bank", "测试库")
    assert QuestionBank.objects.get(name="测试库").questions.count() == 2
    with pytest.raises(CommandError):
        call_command("import_questions", str(path), "--bank", "测试库")
    assert QuestionBank.objects.get(name="测试库").questions.count() == 2
