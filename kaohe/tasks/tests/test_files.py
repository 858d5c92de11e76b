"""Uploads are checked by content: allowed kinds, macros, nested and bomb archives, size, names."""

import zipfile

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from kaohe.tasks.files import check_upload, clean_name

from .conftest import PDF, PNG, docx_bytes, ofd_bytes, upload, xlsx_bytes, zip_bytes

JPG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 64


@pytest.mark.parametrize(
    ("name", "data", "kind"),
    [
        ("a.pdf", PDF, "pdf"),
        ("a.png", PNG, "png"),
        ("a.jpg", JPG, "jpg"),
        ("a.docx", docx_bytes(), "docx"),
        ("a.xlsx", xlsx_bytes(), "xlsx"),
        ("a.ofd", ofd_bytes(), "ofd"),
        (
            "a.zip",
            zip_bytes({"1.pdf": PDF, "2.png": PNG, "3.docx": docx_bytes(), "d/4.ofd": ofd_bytes()}),
            "zip",
        ),
    ],
)
def test_allowed_kinds(name, data, kind):
    checked = check_upload(upload(name, data))
    assert checked.kind == kind and checked.name == name and len(checked.sha256) == 64


def test_kind_comes_from_content_not_name():
    checked = check_upload(upload("照片.pdf", PNG))
    assert checked.kind == "png" and checked.name == "照片.png"
    with pytest.raises(ValidationError, match="类型不允许"):
        check_upload(upload("报告.pdf", b"MZ\x90\x00\x03" + b"\x00" * 200))
    with pytest.raises(ValidationError, match="类型不允许"):
        check_upload(upload("说明.pdf", "纯文本".encode()))


def test_macro_enabled_office_refused():
    with pytest.raises(ValidationError, match="含有宏"):
        check_upload(upload("a.docx", docx_bytes(macro=True)))
    macro_type = zip_bytes(
        {
            "[Content_Types].xml": b"<Types><Override ContentType='application/vnd.ms-word.document.macroEnabled.main+xml'/></Types>",
            "word/document.xml": b"<w/>",
        }
    )
    with pytest.raises(ValidationError, match="含有宏"):
        check_upload(upload("a.docm", macro_type))


def test_other_office_formats_refused():
    pptx = zip_bytes({"[Content_Types].xml": b"<Types/>", "ppt/presentation.xml": b"<p/>"})
    with pytest.raises(ValidationError, match="不支持的 Office 格式"):
        check_upload(upload("a.pptx", pptx))


def test_zip_with_bad_member_or_nested_zip_refused():
    with pytest.raises(ValidationError, match="run.exe"):
        check_upload(
            upload("a.zip", zip_bytes({"ok.pdf": PDF, "run.exe": b"MZ\x90\x00" + b"\x00" * 100}))
        )
    with pytest.raises(ValidationError, match="嵌套"):
        check_upload(upload("a.zip", zip_bytes({"inner.zip": zip_bytes({"x.pdf": PDF})})))
    with pytest.raises(ValidationError, match="macro.docx"):
        check_upload(upload("a.zip", zip_bytes({"macro.docx": docx_bytes(macro=True)})))


def test_zip_path_traversal_refused():
    with pytest.raises(ValidationError, match="非法路径"):
        check_upload(upload("a.zip", zip_bytes({"../../etc/x.pdf": PDF})))


def test_zip_bomb_refused():
    bomb = zip_bytes({"big.pdf": PDF + b"\x00" * (3 * 1024 * 1024)})
    assert len(bomb) < 1024 * 1024
    with pytest.raises(ValidationError, match="压缩炸弹|解压后过大"):
        check_upload(upload("a.zip", bomb))


def test_broken_zip_refused():
    data = zip_bytes({"a.pdf": PDF})[:30]
    with pytest.raises(ValidationError, match="损坏"):
        check_upload(upload("a.zip", data))


def test_encrypted_member_refused():
    data = bytearray(zip_bytes({"a.pdf": PDF}, compression=zipfile.ZIP_STORED))
    data[6] |= 0x1  # local header flag
    central = data.rfind(b"PK\x01\x02")
    data[central + 8] |= 0x1  # central directory flag
    with pytest.raises(ValidationError, match="加密"):
        check_upload(upload("a.zip", bytes(data)))


def test_size_cap_from_settings(settings):
    settings.FILE_UPLOAD_MAX_MB = 1
    with pytest.raises(ValidationError, match="超过上限 1 MB"):
        check_upload(upload("big.pdf", PDF + b"\x00" * (1024 * 1024)))
    del settings.FILE_UPLOAD_MAX_MB
    assert check_upload(upload("big.pdf", PDF + b"\x00" * (1024 * 1024))).size > 1024 * 1024


def test_empty_file_refused():
    with pytest.raises(ValidationError, match="空文件"):
        check_upload(upload("a.pdf", b""))


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("C:\\Users\\x\\报告.pdf", "报告.pdf"),
        ("..\\..\\a.pdf", "a.pdf"),
        (".hidden.pdf", "hidden.pdf"),
        ("a\x00b\n.pdf", "ab.pdf"),
        ("", "文件"),
        ("法治<政府>.pdf", "法治_政府_.pdf"),
    ],
)
def test_clean_name(raw, clean):
    assert clean_name(raw) == clean


@given(st.text(max_size=300))
def test_clean_name_never_escapes(raw):
    name = clean_name(raw)
    assert name and "/" not in name and "\\" not in name and not name.startswith(".")
    assert len(name) <= 130
