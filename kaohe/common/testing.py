"""Helpers for tests in every app: the apps' factories in one import, the access check for
views, and small files for upload tests."""

import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from kaohe.accounts.choices import Role
from kaohe.accounts.factories import make_user
from kaohe.orgs.factories import make_category, make_person, make_unit
from kaohe.schemes.factories import make_scheme

__all__ = [
    "Role",
    "assert_view_access",
    "make_category",
    "make_person",
    "make_scheme",
    "make_unit",
    "make_user",
]


def assert_view_access(
    url: str, *, allowed, denied, method: str = "get", data=None, ok_statuses=(200, 302)
) -> None:
    """Anonymous → login redirect; each denied user → 404; each allowed user → ok."""
    anonymous = getattr(Client(), method)(url, data or {})
    assert anonymous.status_code == 302 and "/login/" in anonymous["Location"], url
    for user in denied:
        client = Client()
        client.force_login(user)
        response = getattr(client, method)(url, data or {})
        assert response.status_code == 404, f"{url} as {user}: {response.status_code}"
    for user in allowed:
        client = Client()
        client.force_login(user)
        response = getattr(client, method)(url, data or {})
        assert response.status_code in ok_statuses, f"{url} as {user}: {response.status_code}"


# --- files for upload tests (built in memory; no fixtures on disk) -------------------

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00"
    b"\x90wS\xde\x00\x00\x00\x0cIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00"
    b"\x00IEND\xaeB`\x82"
)


def zip_bytes(members: dict[str, bytes], compression=zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def docx_bytes(macro: bool = False) -> bytes:
    members = {
        "[Content_Types].xml": b'<?xml version="1.0"?><Types><Override ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
        "word/document.xml": b"<w:document/>",
    }
    if macro:
        members["word/vbaProject.bin"] = b"\x00" * 64
    return zip_bytes(members)


def xlsx_bytes() -> bytes:
    return zip_bytes({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"})


def ofd_bytes() -> bytes:
    return zip_bytes({"OFD.xml": b"<ofd:OFD/>", "Doc_0/Document.xml": b"<ofd:Document/>"})


def upload(name: str = "报告.pdf", data: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)
