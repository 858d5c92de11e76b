"""Issue 12 item 10: the notice editor and the notice as LibreOffice lays it out."""

import re
import shutil
import subprocess
from datetime import date
from io import BytesIO

import pytest
from django.urls import reverse
from docx import Document

from kaohe.common import pdf
from kaohe.demo import seed2020
from kaohe.publishing.models import Notice
from kaohe.publishing.notice_content import notice_prepare
from kaohe.publishing.notice_docx import build_notice, record_page
from kaohe.publishing.notice_drafts import draft_problems, draft_requirements
from kaohe.publishing.services.notice import notice_pdf, notice_update

pytestmark = pytest.mark.django_db


def _form_data(notice, **changes):
    data = {
        f: getattr(notice, f) or ""
        for f in (
            "issuing_office",
            "doc_number",
            "title",
            "addressees",
            "intro",
            "organisation",
            "achievements",
            "problems",
            "requirements",
            "closing",
            "order",
            "signature",
            "printer",
        )
    }
    data.update(issue_date="2021-07-01", print_date="2021-07-01")
    data.update(changes)
    return data


def test_editor_is_a_form_in_sections_without_developer_words(demo, office_client):
    body = office_client.get(reverse("publishing:notice", args=[demo.pk])).content.decode()
    for section in ("版头", "标题与主送机关", "正文", "考评结果及等次", "落款与版记"):
        assert f">{section}</legend>" in body
    assert 'id="notice-preview"' in body and 'class="form-control"' in body
    assert "docxtpl" not in body and "Jinja" not in body and "docs/" not in body
    assert ".md" not in body


def test_generate_word_uses_what_is_on_screen(demo, demo_users, office_client):
    notice = notice_prepare(scheme=demo, actor=demo_users["office"])
    url = reverse("publishing:notice", args=[demo.pk])
    data = _form_data(notice, organisation="屏幕上刚改的一句话。", action="docx")
    response = office_client.post(url, data, follow=True)  # queued, run at once in tests
    body = response.content.decode()
    assert 'data-status="SUCCESSFUL"' in body and "通报文件已生成" in body
    link = reverse("publishing:notice_file", args=[demo.pk, "docx"])
    assert link in body
    response = office_client.get(link)
    assert response["Content-Disposition"].startswith("attachment")
    texts = [p.text for p in Document(BytesIO(b"".join(response))).paragraphs]
    assert "屏幕上刚改的一句话。" in texts
    assert Notice.objects.get(scheme=demo).organisation == "屏幕上刚改的一句话。"


def _generated(office_client, demo, notice, action, kind):
    """Post the form with a generate button; the run's download link for `kind`, opened."""
    url = reverse("publishing:notice", args=[demo.pk])
    data = _form_data(notice, organisation="生成前刚改的一句话。", action=action)
    body = office_client.post(url, data, follow=True).content.decode()  # queued, run at once
    assert 'data-status="SUCCESSFUL"' in body, body[:2000]
    link = reverse("publishing:notice_file", args=[demo.pk, kind])
    assert link in body
    response = office_client.get(link)
    assert response["Content-Disposition"].startswith("attachment")
    return b"".join(response)


@pytest.mark.skipif(pdf.soffice_path() is None, reason="未安装 LibreOffice（libreoffice-writer）")
def test_generate_pdf_runs_in_the_background_from_what_is_on_screen(
    demo, demo_users, office_client
):
    notice = notice_prepare(scheme=demo, actor=demo_users["office"])
    page = office_client.get(reverse("publishing:notice", args=[demo.pk])).content.decode()
    assert 'value="pdf"' in page and reverse("publishing:notice_pdf", args=[demo.pk]) not in page
    content = _generated(office_client, demo, notice, "pdf", "pdf")
    assert content.startswith(b"%PDF")
    assert Notice.objects.get(scheme=demo).organisation == "生成前刚改的一句话。"


def test_standard_format_button_skips_the_uploaded_template(demo, demo_users, office_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from kaohe.publishing.services.notice import notice_template_upload
    from kaohe.publishing.tests.test_export_command import template_bytes

    notice = notice_prepare(scheme=demo, actor=demo_users["office"])
    page = office_client.get(reverse("publishing:notice", args=[demo.pk])).content.decode()
    assert 'value="builtin"' not in page  # no template uploaded: nothing to skip
    upload = SimpleUploadedFile("模板.docx", template_bytes("{{ title }}"))
    notice = notice_template_upload(notice=notice, upload=upload)
    templated = Document(BytesIO(_generated(office_client, demo, notice, "docx", "docx")))
    assert [p.text for p in templated.paragraphs] == [notice.title]
    builtin = Document(BytesIO(_generated(office_client, demo, notice, "builtin", "docx")))
    texts = [p.text for p in builtin.paragraphs]
    assert len(texts) > 20 and "生成前刚改的一句话。" in texts


def test_issue_date_is_required(demo, demo_users, office_client):
    notice = notice_prepare(scheme=demo, actor=demo_users["office"])
    url = reverse("publishing:notice", args=[demo.pk])
    response = office_client.post(url, _form_data(notice, issue_date=""))
    assert response.status_code == 200 and "成文日期" in response.content.decode()


def test_problems_and_requirements_drafted_from_findings(demo, demo_users, office_client):
    problems = draft_problems(demo)
    assert problems.startswith("（一）") and "个单位在该项被扣分" in problems
    assert "暗访发现窗口人员服务不规范" in problems  # the demo's penalty notes
    requirements = draft_requirements(demo)
    assert "整改" in requirements and f"{demo.year + 1}年度" in requirements
    notice = notice_prepare(scheme=demo, actor=demo_users["office"])
    url = reverse("publishing:notice", args=[demo.pk])
    response = office_client.post(url, _form_data(notice, problems="", action="draft"))
    body = response.content.decode()
    assert "个单位在该项被扣分" in body and "请修改后保存" in body
    assert Notice.objects.get(scheme=demo).problems == ""  # drafted on screen, not saved


def test_demo_notice_carries_seed_003(db):
    import io

    from django.core.management import call_command

    call_command("demo", stdout=io.StringIO())
    notice = Notice.objects.get(scheme__code="puyang-2020")
    assert notice.doc_number == "濮法政办〔2021〕24号"
    assert notice.addressees.startswith("各县（区）党委、人民政府，开发区、工业园区、示范区党工委")
    assert notice.issue_date == notice.print_date == date(2021, 7, 1)
    assert "抽调8名专业人员组成四个考核组，分别由4名县级领导干部担任组长" in notice.organisation


def _short(notice, n):
    for key in ("achievements", "problems", "requirements"):
        setattr(notice, key, "\n".join(seed2020.NOTICE[key].splitlines()[:n]))
    return notice


@pytest.mark.parametrize("paragraphs", [1, 2, 3, 6])
def test_record_block_lands_on_an_even_page_by_estimate(demo, demo_users, paragraphs):
    notice = notice_prepare(scheme=demo, actor=demo_users["office"])
    notice = notice_update(notice=notice, data=dict(seed2020.NOTICE))
    _short(notice, paragraphs)
    document = Document(BytesIO(build_notice(notice)))
    # The 版记 starts right after the 成文日期 line.
    start = max(i for i, p in enumerate(document.paragraphs) if p.text == "2021年7月1日") + 1
    page, _ = record_page(document.paragraphs, start)
    assert page % 2 == 0


@pytest.mark.skipif(pdf.soffice_path() is None, reason="未安装 LibreOffice（libreoffice-writer）")
@pytest.mark.skipif(
    shutil.which("pdfinfo") is None, reason="未安装 poppler-utils（pdfinfo、pdftotext）"
)
@pytest.mark.parametrize("paragraphs", [1, 3, 4, 6])
def test_libreoffice_layout(demo, demo_users, tmp_path, paragraphs):
    """文号 under the mark (above the red rule), 成文日期 under the 落款, dated 印发 line, 版记
    on the last page and that page even — in LibreOffice's own layout."""
    notice = notice_prepare(scheme=demo, actor=demo_users["office"])
    notice = notice_update(notice=notice, data=dict(seed2020.NOTICE))
    _short(notice, paragraphs)
    pdf_bytes = notice_pdf(notice=notice)
    path = tmp_path / "n.pdf"
    path.write_bytes(pdf_bytes)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True).stdout
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))

    def text(page):
        out = subprocess.run(
            ["pdftotext", "-f", str(page), "-l", str(page), str(path), "-"],
            capture_output=True,
            text=True,
        ).stdout
        return re.sub(r"\s", "", out)

    first, last = text(1), text(pages)
    assert first.index("濮阳市法治政府建设领导小组办公室文件") < first.index("濮法政办〔2021〕24号")
    assert first.index("濮法政办〔2021〕24号") < first.index("关于2020年度")
    assert "2021年7月1日印发" in last and pages % 2 == 0
    signed = next(p for p in range(1, pages + 1) if "2021年7月1日" in text(p).replace("日印发", ""))
    assert "濮阳市法治政府建设领导小组办公室2021年7月1日" in text(signed)  # 落款, then 成文日期
