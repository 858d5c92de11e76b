"""Uploads are checked by content: allowed kinds, macros, nested and bomb archives, size, names."""

import zipfile

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from kaohe.common.testing import PDF, PNG, docx_bytes, ofd_bytes, upload, xlsx_bytes, zip_bytes
from kaohe.common.uploads import (
    EVIDENCE,
    IMPORT_XLSX,
    MATERIALS,
    check_upload,
    check_uploads,
    clean_name,
)

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
    checked = check_upload(upload(name, data), MATERIALS)
    assert checked.kind == kind and checked.name == name and len(checked.sha256) == 64


def test_kind_comes_from_content_not_name():
    checked = check_upload(upload("照片.pdf", PNG), MATERIALS)
    assert checked.kind == "png" and checked.name == "照片.png"
    with pytest.raises(ValidationError, match="类型不允许"):
        check_upload(upload("报告.pdf", b"MZ\x90\x00\x03" + b"\x00" * 200), MATERIALS)
    with pytest.raises(ValidationError, match="类型不允许"):
        check_upload(upload("说明.pdf", "纯文本".encode()), MATERIALS)


def test_macro_enabled_office_refused():
    with pytest.raises(ValidationError, match="含有宏"):
        check_upload(upload("a.docx", docx_bytes(macro=True)), MATERIALS)
    macro_type = zip_bytes(
        {
            "[Content_Types].xml": b"<Types><Override ContentType='application/vnd.ms-word.document.macroEnabled.main+xml'/></Types>",
            "word/document.xml": b"<w/>",
        }
    )
    with pytest.raises(ValidationError, match="含有宏"):
        check_upload(upload("a.docm", macro_type), MATERIALS)


def test_other_office_formats_refused():
    pptx = zip_bytes({"[Content_Types].xml": b"<Types/>", "ppt/presentation.xml": b"<p/>"})
    with pytest.raises(ValidationError, match="不支持的 Office 格式"):
        check_upload(upload("a.pptx", pptx), MATERIALS)


def test_zip_with_bad_member_or_nested_zip_refused():
    with pytest.raises(ValidationError, match="run.exe"):
        check_upload(
            upload("a.zip", zip_bytes({"ok.pdf": PDF, "run.exe": b"MZ\x90\x00" + b"\x00" * 100})),
            MATERIALS,
        )
    with pytest.raises(ValidationError, match="嵌套"):
        check_upload(
            upload("a.zip", zip_bytes({"inner.zip": zip_bytes({"x.pdf": PDF})})), MATERIALS
        )
    with pytest.raises(ValidationError, match="macro.docx"):
        check_upload(upload("a.zip", zip_bytes({"macro.docx": docx_bytes(macro=True)})), MATERIALS)


def test_zip_path_traversal_refused():
    with pytest.raises(ValidationError, match="非法路径"):
        check_upload(upload("a.zip", zip_bytes({"../../etc/x.pdf": PDF})), MATERIALS)


def test_zip_bomb_refused():
    bomb = zip_bytes({"big.pdf": PDF + b"\x00" * (3 * 1024 * 1024)})
    assert len(bomb) < 1024 * 1024
    with pytest.raises(ValidationError, match="压缩炸弹|解压后过大"):
        check_upload(upload("a.zip", bomb), MATERIALS)


def test_broken_zip_refused():
    data = zip_bytes({"a.pdf": PDF})[:30]
    with pytest.raises(ValidationError, match="损坏"):
        check_upload(upload("a.zip", data), MATERIALS)


def test_encrypted_member_refused():
    data = bytearray(zip_bytes({"a.pdf": PDF}, compression=zipfile.ZIP_STORED))
    data[6] |= 0x1  # local header flag
    central = data.rfind(b"PK\x01\x02")
    data[central + 8] |= 0x1  # central directory flag
    with pytest.raises(ValidationError, match="加密"):
        check_upload(upload("a.zip", bytes(data)), MATERIALS)


def test_size_cap_from_settings(settings):
    settings.FILE_UPLOAD_MAX_MB = 1
    with pytest.raises(ValidationError, match="超过上限 1 MB"):
        check_upload(upload("big.pdf", PDF + b"\x00" * (1024 * 1024)), MATERIALS)
    del settings.FILE_UPLOAD_MAX_MB
    assert (
        check_upload(upload("big.pdf", PDF + b"\x00" * (1024 * 1024)), MATERIALS).size > 1024 * 1024
    )


def test_empty_file_refused():
    with pytest.raises(ValidationError, match="空文件"):
        check_upload(upload("a.pdf", b""), MATERIALS)


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


def ole_bytes(*streams: str) -> bytes:
    """An OLE compound file as far as the checker looks: magic and UTF-16 stream names."""
    body = b"".join(name.encode("utf-16-le") + b"\x00" * 8 for name in streams)
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504 + body + b"\x00" * 512


@pytest.mark.parametrize(
    ("name", "streams", "kind"),
    [
        ("通知.doc", ("WordDocument",), "doc"),
        ("通知.wps", ("WordDocument",), "wps"),
        ("台账.xls", ("Workbook",), "xls"),
        ("台账.et", ("Workbook",), "et"),
        ("旧台账.xls", ("Book",), "xls"),
    ],
)
def test_office_formats_offices_send_are_materials(name, streams, kind):
    """Issue 12 item 14: .doc, .wps, .xls, .et (and .ofd above) are accepted as materials."""
    checked = check_upload(upload(name, ole_bytes(*streams)), MATERIALS)
    assert checked.kind == kind and checked.name == name


def test_old_formats_with_macros_or_passwords_refused():
    with pytest.raises(ValidationError, match="含有宏"):
        check_upload(upload("a.doc", ole_bytes("WordDocument", "Macros")), MATERIALS)
    with pytest.raises(ValidationError, match="含有宏"):
        check_upload(upload("a.xls", ole_bytes("Workbook", "_VBA_PROJECT_CUR")), MATERIALS)
    with pytest.raises(ValidationError, match="加密"):
        check_upload(upload("a.xls", ole_bytes("EncryptedPackage")), MATERIALS)


def test_imports_explain_how_to_resave_old_formats():
    with pytest.raises(ValidationError, match="另存为 .xlsx"):
        check_upload(upload("分数.xls", ole_bytes("Workbook")), IMPORT_XLSX)


def test_user_chosen_extension_never_survives():
    """Issue 11 item 10: PDF content named poly.html is stored as poly.pdf."""
    assert check_upload(upload("poly.html", PDF), MATERIALS).name == "poly.pdf"


def test_bad_crc_member_refused_not_500():
    data = bytearray(zip_bytes({"a.pdf": PDF * 50}, compression=zipfile.ZIP_STORED))
    data[data.index(b"%PDF") + 20] ^= 0xFF  # corrupt the stored member: CRC no longer matches
    with pytest.raises(ValidationError, match="损坏"):
        check_upload(upload("a.zip", bytes(data)), MATERIALS)


def test_evidence_accepts_photos_and_recordings_only():
    assert check_upload(upload("现场.png", PNG), EVIDENCE).kind == "png"
    with pytest.raises(ValidationError, match="不允许"):
        check_upload(upload("a.docx", docx_bytes()), EVIDENCE)


def test_batch_is_all_or_nothing_and_names_every_file():
    with pytest.raises(ValidationError) as refused:
        check_uploads(
            [
                upload("好.pdf", PDF),
                upload("坏.pdf", b""),
                upload("宏.docx", docx_bytes(macro=True)),
            ],
            MATERIALS,
        )
    text = " ".join(refused.value.messages)
    assert "坏.pdf" in text and "宏.docx" in text and "好.pdf" not in text


@pytest.mark.django_db
def test_sweep_removes_only_old_unreferenced_files(settings, tmp_path):
    """Files left by a rolled-back transaction or an abandoned import are swept; files a row
    points at and files written in the last hours are kept."""
    import os
    import time
    from io import StringIO

    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage
    from django.core.management import call_command

    from kaohe.common.testing import make_unit, make_user
    from kaohe.transfer.models import ImportJob

    settings.MEDIA_ROOT = tmp_path
    unit = make_unit("濮阳市")
    kept = default_storage.save("transfer/2026/kept.xlsx", ContentFile(b"x"))
    ImportJob.objects.create(
        kind="units", owner_unit=unit, created_by=make_user("office", unit=unit), file=kept
    )
    orphan = default_storage.save("transfer/2026/left-over.xlsx", ContentFile(b"x"))
    young = default_storage.save("tasks/1/1/young.pdf", ContentFile(b"x"))
    old = time.time() - 3 * 86400
    for name in (kept, orphan):
        os.utime(default_storage.path(name), (old, old))
    out = StringIO()
    call_command("sweep_uploads", "--dry-run", stdout=out)
    assert orphan in out.getvalue() and default_storage.exists(orphan)
    call_command("sweep_uploads", stdout=StringIO())
    assert not default_storage.exists(orphan)
    assert default_storage.exists(kept) and default_storage.exists(young)
