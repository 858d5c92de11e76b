"""Helpers for tests in every app: small factories and the access check for views."""

import io
import zipfile
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from kaohe.accounts.choices import Role
from kaohe.accounts.services import role_assign, user_create
from kaohe.orgs.models import UnitCategory
from kaohe.orgs.services import unit_create


def make_category(code: str = "department", name: str = "市直部门") -> UnitCategory:
    category, _ = UnitCategory.objects.get_or_create(code=code, defaults={"name": name})
    return category


def make_unit(name: str, parent=None, category=None):
    return unit_create(name=name, parent=parent, category=category)


def make_user(username: str, *, role: str | None = None, unit=None, subtree: bool = False):
    user = user_create(username=username, password="Test-pass-123", unit=unit)  # noqa: S106
    if role:
        role_assign(user=user, role=role, unit=unit, include_subtree=subtree)
    return user


def make_scheme(code: str = "s1", *, categories=None, leaves=None, year: int = 2020):
    """A small scheme under a new city: one grading category per unit category given.

    `leaves` is a list of (component code, code, max, method) tuples; defaults to one
    100-point entered leaf per component.
    """
    from kaohe.schemes.services import grading_category_create, indicator_create, scheme_create

    city = make_unit(f"{code}-市")
    scheme = scheme_create(code=code, name=f"{code} 方案", year=year, owner_unit=city)
    categories = categories or [make_category()]
    for order, category in enumerate(categories):
        grading_category_create(
            scheme=scheme, name=category.name, unit_categories=[category], order=order
        )
    components = {c.code: c for c in scheme.components.all()}
    for component, code, top, method in leaves or [
        ("daily", "D1", 100, "entered"),
        ("onsite", "X1", 100, "entered"),
        ("satisfaction", "S1", 100, "entered"),
    ]:
        indicator_create(
            scheme=scheme,
            component=components[component],
            code=code,
            name=code,
            max_score=Decimal(top),
            method=method,
        )
    return scheme


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


__all__ = ["Role", "make_category", "make_unit", "make_user", "make_scheme", "assert_view_access"]


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
