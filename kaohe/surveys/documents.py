"""Printed matter: QR codes (PNG), the A4 counter poster and invitation slips (.docx / PDF)."""

from __future__ import annotations

from io import BytesIO

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from kaohe.common.pdf import docx_to_pdf, soffice_path

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def base_url(request=None) -> str:
    """KAOHE_BASE_URL when set (printed matter must carry the public address), else the request's."""
    if settings.KAOHE_BASE_URL:
        return settings.KAOHE_BASE_URL
    if request is not None:
        return request.build_absolute_uri("/").rstrip("/")
    return "http://127.0.0.1:8000"


def target_url(target, base: str) -> str:
    return base + reverse("survey_public:answer", args=[target.token])


def survey_url(survey, base: str) -> str:
    return base + reverse("survey_public:pick", args=[survey.token])


def invitation_url(invitation, base: str) -> str:
    if invitation.target_id:
        url = target_url(invitation.target, base)
    else:
        url = survey_url(invitation.survey, base)
    return f"{url}?code={invitation.code}"


def qr_png(text: str, box_size: int = 10) -> bytes:
    """A PNG QR code (pure Python writer: pypng, no Pillow needed)."""
    import qrcode
    from qrcode.image.pure import PyPNGImage

    qr = qrcode.QRCode(
        error_correction=qrcode.constants.ERROR_CORRECT_M,
        box_size=box_size,
        border=2,
        image_factory=PyPNGImage,
    )
    qr.add_data(text)
    qr.make(fit=True)
    buffer = BytesIO()
    qr.make_image().save(buffer)
    return buffer.getvalue()


def _document(margin: float = 2.0) -> Document:
    doc = Document()
    section = doc.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21)
    section.left_margin = section.right_margin = Cm(margin)
    section.top_margin = section.bottom_margin = Cm(margin)
    style = doc.styles["Normal"]
    style.font.name = "仿宋_GB2312"
    style.font.size = Pt(14)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "仿宋_GB2312")
    return doc


def _line(doc_or_cell, text: str, size: int = 14, bold: bool = False, font: str = ""):
    p = doc_or_cell.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = p.add_run(text)
    run.bold, run.font.size = bold, Pt(size)
    if font:
        run.font.name = font
        run._element.rPr.rFonts.set(qn("w:eastAsia"), font)
    return p


def _bytes(doc) -> bytes:
    buffer = BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def poster_docx(target, base: str) -> bytes:
    """An A4 poster for a service-hall counter: title, unit, QR, address, closing time."""
    survey = target.survey
    doc = _document(2.5)
    _line(doc, "扫码评价", 36, True, "黑体")
    _line(doc, survey.questionnaire.title, 20, True, "黑体")
    _line(doc, str(target.subject.unit), 22, True, "楷体_GB2312")
    url = target_url(target, base)
    picture = doc.add_paragraph()
    picture.alignment = WD_ALIGN_PARAGRAPH.CENTER
    picture.add_run().add_picture(BytesIO(qr_png(url, 12)), width=Cm(11))
    _line(doc, "请用手机扫描二维码，匿名填写，约需 1 分钟。", 16)
    _line(doc, "不记录姓名、手机号和位置信息。", 14)
    closes = timezone.localtime(survey.closes_at)
    _line(doc, f"截止时间：{closes:%Y年%m月%d日 %H:%M}", 14)
    _line(doc, url, 10)
    _line(doc, survey.scheme.issuing_office or str(survey.scheme.owner_unit), 14)
    return _bytes(doc)


def slips_docx(invitations, base: str, title: str) -> bytes:
    """Invitation slips, two per row (cut along the lines): QR, code, closing time."""
    doc = _document(1.5)
    _line(doc, title, 16, True, "黑体")
    rows = [invitations[i : i + 2] for i in range(0, len(invitations), 2)]
    table = doc.add_table(rows=len(rows), cols=2)
    table.style = "Table Grid"
    for row, pair in zip(table.rows, rows, strict=True):
        for cell, invitation in zip(row.cells, pair, strict=False):
            cell.text = ""
            survey = invitation.survey
            _line(cell, survey.questionnaire.title, 11, True)
            if invitation.target_id:
                _line(cell, str(invitation.target.subject.unit), 11)
            picture = cell.add_paragraph()
            picture.alignment = WD_ALIGN_PARAGRAPH.CENTER
            picture.add_run().add_picture(
                BytesIO(qr_png(invitation_url(invitation, base), 6)), width=Cm(4)
            )
            _line(cell, f"邀请码：{invitation.code}", 14, True)
            closes = timezone.localtime(survey.closes_at)
            _line(cell, f"仅限使用一次 · 截止 {closes:%m月%d日 %H:%M}", 9)
    return _bytes(doc)


def pdf_available() -> bool:
    return soffice_path() is not None


def to_pdf(content: bytes) -> bytes:
    """LibreOffice conversion (kaohe.common.pdf; raises PdfUnavailable when not installed)."""
    return docx_to_pdf(content)
