"""Bad input: every case gives a clear message and writes nothing."""

import io
import re
import zipfile

import pytest
from openpyxl import Workbook

from kaohe.common.uploads import OLE_MAGIC
from kaohe.schemes.models import Indicator
from kaohe.transfer.services import import_apply

from . import builders

pytestmark = pytest.mark.django_db


def _apply(scheme, name, data):
    report = import_apply(
        kind="indicators", name=name, data=data, scheme=scheme, options={"component": "onsite"}
    )
    assert not report["ok"], report
    assert not Indicator.objects.filter(scheme=scheme).exists()
    return "\n".join(report["errors"])


def _zip(members: dict) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_empty_file(fresh_scheme):
    assert "文件为空" in _apply(fresh_scheme, "a.xlsx", b"")


def test_text_renamed_to_xlsx(fresh_scheme):
    assert "不是有效的 .xlsx" in _apply(fresh_scheme, "a.xlsx", b"just some text, not a workbook")


def test_word_document_renamed_to_xlsx(fresh_scheme):
    assert "内容是Word 文档" in _apply(fresh_scheme, "a.xlsx", builders.seed_docx())


def test_workbook_renamed_to_docx(fresh_scheme):
    assert "内容是Excel 工作簿" in _apply(fresh_scheme, "a.docx", builders.seed_xlsx())


@pytest.mark.parametrize("name", ["old.xls", "old.doc", "OLD.XLS"])
def test_old_binary_formats_by_extension(fresh_scheme, name):
    assert "请另存为 .xlsx/.docx" in _apply(fresh_scheme, name, OLE_MAGIC + b"\0" * 600)


def test_old_binary_content_with_new_extension(fresh_scheme):
    message = _apply(fresh_scheme, "a.xlsx", OLE_MAGIC + b"\0" * 600)
    assert "旧版二进制格式" in message and "另存为 .xlsx/.docx" in message


def test_password_protected_workbook(fresh_scheme):
    # An encrypted OOXML file is a compound file holding EncryptionInfo/EncryptedPackage.
    data = OLE_MAGIC + b"\0" * 100 + "EncryptionInfo".encode("utf-16-le") + b"\0" * 400
    assert "密码" in _apply(fresh_scheme, "secret.xlsx", data)


@pytest.mark.parametrize("name", ["macro.xlsm", "macro.docm"])
def test_macro_enabled_extensions_refused(fresh_scheme, name):
    assert "含宏" in _apply(fresh_scheme, name, builders.seed_xlsx())


def test_macro_inside_xlsx_refused(fresh_scheme):
    data = _zip({"xl/workbook.xml": "<workbook/>", "xl/vbaProject.bin": b"\0" * 10})
    assert "宏" in _apply(fresh_scheme, "sneaky.xlsx", data)


def test_zip_bomb(fresh_scheme):
    data = _zip(
        {"xl/workbook.xml": "<workbook/>", "xl/worksheets/sheet1.xml": b"\0" * (30 * 1024 * 1024)}
    )
    assert len(data) < 200 * 1024
    assert "压缩炸弹" in _apply(fresh_scheme, "bomb.xlsx", data)


def test_corrupt_zip(fresh_scheme):
    assert "损坏" in _apply(fresh_scheme, "bad.xlsx", b"PK\x03\x04" + b"\x00" * 200)


def test_100000_rows_refused_with_message(fresh_scheme):
    workbook = Workbook(write_only=True)
    ws = workbook.create_sheet("big")
    ws.append(builders.CANONICAL_HEADER)
    for index in range(100000):
        ws.append([f"T{index}", f"一级{index}", None, None, None, None, None, None, "实地考核"])
    message = _apply(fresh_scheme, "big.xlsx", builders.workbook_bytes(workbook))
    assert "超过一次导入的上限 20000 行" in message


def test_formula_without_value(fresh_scheme):
    rows = builders.canonical_rows(1, 1, 1)
    rows[3][6] = "=2+3"
    message = _apply(fresh_scheme, "f.xlsx", builders.xlsx(rows))
    assert "第 4 行“分值”列：是公式且没有计算结果" in message


def test_formula_with_cached_value_uses_the_value(fresh_scheme):
    rows = builders.canonical_rows(1, 1, 1)
    rows[3][6] = "=2+3"
    data = _with_cached_value(builders.xlsx(rows), "2+3", "5")
    report = import_apply(
        kind="indicators", name="f.xlsx", data=data, scheme=fresh_scheme, options={}
    )
    assert report["ok"], report
    assert Indicator.objects.get(scheme=fresh_scheme, code="T1.1.1").max_score == 5


def _with_cached_value(data: bytes, formula: str, value: str) -> bytes:
    """What Excel writes: the formula and its last result."""
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename.startswith("xl/worksheets/"):
                text = content.decode()
                text = re.sub(
                    rf"<f>{re.escape(formula)}</f>(<v\s*/>|<v></v>)?",
                    f"<f>{formula}</f><v>{value}</v>",
                    text,
                )
                content = text.encode()
            out.writestr(info, content)
    return buffer.getvalue()


def test_merged_cells_crossing_the_header(fresh_scheme):
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(builders.seed_xlsx()))
    workbook.active.merge_cells("E4:E6")
    message = _apply(fresh_scheme, "m.xlsx", builders.workbook_bytes(workbook))
    assert "E4:E6" in message and "跨越了表头" in message


def test_duplicate_codes_name_both_rows(fresh_scheme):
    rows = builders.canonical_rows(2, 1, 1)
    rows[4][0] = "T1"
    message = _apply(fresh_scheme, "d.xlsx", builders.xlsx(rows))
    assert "第 5 行“编码”列：编码“T1”重复（与第 2 行相同）" in message


def test_code_already_in_scheme(fresh_scheme):
    ok = import_apply(
        kind="indicators",
        name="a.xlsx",
        data=builders.xlsx(builders.canonical_rows(1, 1, 1)),
        scheme=fresh_scheme,
        options={},
    )
    assert ok["ok"]
    report = import_apply(
        kind="indicators",
        name="a.xlsx",
        data=builders.xlsx(builders.canonical_rows(1, 1, 1)),
        scheme=fresh_scheme,
        options={},
    )
    assert not report["ok"] and "已存在" in report["errors"][0]
    assert Indicator.objects.filter(scheme=fresh_scheme).count() == 3


def test_every_problem_listed_at_once(fresh_scheme):
    rows = builders.canonical_rows(1, 2, 2)
    rows[3][6] = "五分"  # max score
    rows[4][12] = "明年"  # deadline
    rows[6][7] = "随便打分"  # method
    rows[7][9] = "乡镇"  # category
    message = _apply(fresh_scheme, "many.xlsx", builders.xlsx(rows))
    assert "第 4 行“分值”列：“五分”不是有效分值" in message
    assert "第 5 行“提交时限”列：“明年”不是日期" in message
    assert "第 7 行“评分方式”列：“随便打分”不是评分方式" in message
    assert "第 8 行“适用对象类别”列：“乡镇”不是已有的单位类别" in message


def test_no_header(fresh_scheme):
    message = _apply(fresh_scheme, "x.xlsx", builders.xlsx([["a", "b"], [1, 2]]))
    assert "没有找到指标表的表头" in message


def test_script_text_is_stored_as_text(fresh_scheme):
    rows = builders.canonical_rows(1, 1, 1)
    rows[1][1] = "<script>alert(1)</script>"
    report = import_apply(
        kind="indicators", name="s.xlsx", data=builders.xlsx(rows), scheme=fresh_scheme, options={}
    )
    assert report["ok"]
    assert Indicator.objects.get(scheme=fresh_scheme, code="T1").name == "<script>alert(1)</script>"


def test_unsupported_extension(fresh_scheme):
    assert "不支持的文件类型" in _apply(fresh_scheme, "a.csv", b"a,b\n1,2")


def test_word_merge_crossing_the_header(fresh_scheme):
    import docx

    document = docx.Document(io.BytesIO(builders.seed_docx()))
    table = document.tables[0]
    table.cell(0, 5).merge(table.cell(2, 5))  # 资料准备要求 header runs into the first data row
    buffer = io.BytesIO()
    document.save(buffer)
    message = _apply(fresh_scheme, "m.docx", buffer.getvalue())
    assert "表格 1：合并单元格 第 6 列第 1–3 行 跨越了表头和数据行" in message
