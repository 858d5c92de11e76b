"""The export-notice command, the docxtpl template path and the PDF fallback message."""

from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from docx import Document

from kaohe.common import pdf
from kaohe.publishing.notice_content import notice_prepare
from kaohe.publishing.services.notice import notice_render, notice_template_upload

pytestmark = pytest.mark.django_db


def template_bytes(*lines):
    document = Document()
    for line in lines:
        document.add_paragraph(line)
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_export_notice_writes_docx(demo, tmp_path):
    out = tmp_path / "notice.docx"
    call_command("export_notice", str(out), scheme="puyang-2020")
    texts = [p.text for p in Document(str(out)).paragraphs]
    assert any(t.startswith("1. 考核结果为优秀等次的县(区)3个：清丰县") for t in texts)


def test_export_notice_unknown_scheme(db, tmp_path):
    with pytest.raises(CommandError, match="不存在"):
        call_command("export_notice", str(tmp_path / "x.docx"), scheme="nope")


def test_pdf_without_libreoffice_says_what_to_install(demo, tmp_path, monkeypatch):
    monkeypatch.setattr(pdf.shutil, "which", lambda name: None)
    with pytest.raises(CommandError, match="libreoffice-writer"):
        call_command("export_notice", str(tmp_path / "x.pdf"), scheme="puyang-2020")
    assert not (tmp_path / "x.pdf").exists()


def test_docxtpl_template_renders_placeholders(demo):
    notice = notice_prepare(scheme=demo)
    upload = SimpleUploadedFile(
        "模板.docx",
        template_bytes(
            "{{ issuing_office }}〔{{ year }}〕",
            "{% for c in categories %}{{ c.name }}:{% for g in c.grades %}{{ g.grade }}{{ g.count }};"
            "{% endfor %}{% endfor %}",
            "{{ title }} & <x>",
        ),
    )
    notice_template_upload(notice=notice, upload=upload)
    texts = [p.text for p in Document(BytesIO(notice_render(notice=notice))).paragraphs]
    assert texts[0] == f"{notice.issuing_office}〔2020〕"
    assert texts[1] == "县(区):优秀3;良好6;市直部门:优秀23;良好14;"
    assert texts[2] == f"{notice.title} & <x>"
    builtin = Document(BytesIO(notice_render(notice=notice, use_template=False)))
    assert builtin.sections[0]._sectPr is not None and len(builtin.paragraphs) > 20


def test_bad_template_refused_with_message(demo):
    notice = notice_prepare(scheme=demo)
    upload = SimpleUploadedFile("坏模板.docx", template_bytes("{% for x in %}"))
    with pytest.raises(ValidationError, match="模板"):
        notice_template_upload(notice=notice, upload=upload)
    notice.refresh_from_db()
    assert not notice.template
    not_docx = SimpleUploadedFile("a.docx", b"%PDF-1.4 fake")
    with pytest.raises(ValidationError, match="a.docx.*不允许"):
        notice_template_upload(notice=notice, upload=not_docx)


def test_sandbox_blocks_attribute_escape(demo):
    notice = notice_prepare(scheme=demo)
    upload = SimpleUploadedFile(
        "evil.docx", template_bytes("{{ title.__class__.__mro__[1].__subclasses__() }}")
    )
    with pytest.raises(ValidationError):
        notice_template_upload(notice=notice, upload=upload)


FAKE_SOFFICE = """#!/bin/sh
# Stands in for LibreOffice: writes <outdir>/notice.pdf from the arguments it is given.
while [ "$#" -gt 0 ]; do
  case "$1" in --outdir) shift; out="$1";; esac
  shift
done
printf '%%PDF-1.4 fake' > "$out/notice.pdf"
"""


def test_pdf_through_soffice_when_installed(demo, tmp_path, monkeypatch):
    fake = tmp_path / "soffice"
    fake.write_text(FAKE_SOFFICE)
    fake.chmod(0o755)
    monkeypatch.setattr(pdf.shutil, "which", lambda name: str(fake) if name == "soffice" else None)
    out = tmp_path / "notice.pdf"
    call_command("export_notice", str(out), scheme="puyang-2020")
    assert out.read_bytes() == b"%PDF-1.4 fake"


@pytest.mark.skipif(pdf.soffice_path() is None, reason="未安装 LibreOffice（libreoffice-writer）")
def test_real_libreoffice_conversion(demo, tmp_path):
    out = tmp_path / "notice.pdf"
    call_command("export_notice", str(out), scheme="puyang-2020")
    content = out.read_bytes()
    assert content.startswith(b"%PDF") and b"MediaBox[0 0 595.3" in content  # A4
