"""Writes and renders for the results notice: edit, custom docxtpl template, publish."""

import re
from io import BytesIO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from jinja2 import TemplateError
from jinja2.sandbox import SandboxedEnvironment

from kaohe.audit.services import audit_record
from kaohe.common.services import model_update
from kaohe.common.uploads import WORD_TEMPLATE, check_upload
from kaohe.publishing import audit_actions
from kaohe.schemes.choices import SchemeStatus

from ..models import Notice
from ..notice_content import NOTICE_TEXT_FIELDS, SECTION_TITLES, cn_date, grade_lists
from ..notice_docx import build_notice

DOC_NUMBER = re.compile(r"^\s*(\S+?)\s*[〔\[［(（【]\s*(\d{4})\s*[〕\]］)）】]\s*0*(\d+)\s*号\s*$")


def normalise_doc_number(value: str) -> str:
    """濮法政办[2021]024号 → 濮法政办〔2021〕24号 (year in 〔〕, no leading zeros)."""
    value = (value or "").strip()
    if not value:
        return ""
    match = DOC_NUMBER.match(value)
    if not match:
        raise ValidationError(
            {
                "doc_number": _("发文字号“%(value)s”格式不正确，应如：濮法政办〔2021〕24号。")
                % {"value": value}
            }
        )
    prefix, year, number = match.groups()
    return f"{prefix}〔{year}〕{int(number)}号"


@transaction.atomic
def notice_update(*, notice: Notice, data: dict, actor=None) -> Notice:
    data = dict(data)
    if "doc_number" in data:
        data["doc_number"] = normalise_doc_number(data["doc_number"])
    notice, changes = model_update(instance=notice, fields=NOTICE_TEXT_FIELDS, data=data)
    if changes:
        audit_record(
            action=audit_actions.NOTICE_UPDATE,
            actor=actor,
            obj=notice,
            scheme_id=notice.scheme_id,
            before={k: v[0] for k, v in changes.items()},
            after={k: v[1] for k, v in changes.items()},
        )
    return notice


def template_context(notice: Notice, order: str | None = None) -> dict:
    """Everything a custom template may use: {{ title }}, {% for c in categories %} …"""
    categories = grade_lists(notice.scheme, order or notice.order)
    context = {field: getattr(notice, field) for field in NOTICE_TEXT_FIELDS}
    context.update(
        {
            "scheme_name": notice.scheme.name,
            "year": notice.scheme.year,
            "issue_date": cn_date(notice.issue_date),
            "print_date": cn_date(notice.print_date or notice.issue_date),
            "sections": [
                {"key": key, "title": title, "text": getattr(notice, key, "")}
                for key, title in SECTION_TITLES
            ],
            "categories": [
                {
                    "name": c.name,
                    "lines": c.lines(),
                    "grades": [
                        {"grade": g.grade, "count": g.count, "units": g.units, "names": g.names}
                        for g in c.grades
                    ],
                }
                for c in categories
            ],
        }
    )
    return context


def render_template(template_bytes: bytes, context: dict) -> bytes:
    """Fill a docxtpl (Jinja) Word template in a sandbox; errors become a clear message."""
    from docxtpl import DocxTemplate

    try:
        template = DocxTemplate(BytesIO(template_bytes))
        template.render(context, jinja_env=SandboxedEnvironment(), autoescape=True)
    except TemplateError as exc:
        if getattr(exc, "lineno", None):
            message = _("Word 模板占位符有误（第 %(line)s 行）：%(error)s")
            raise ValidationError(message % {"line": exc.lineno, "error": exc}) from exc
        raise ValidationError(_("Word 模板占位符有误：%(error)s") % {"error": exc}) from exc
    except Exception as exc:  # a broken .docx raises zipfile / lxml errors
        raise ValidationError(_("Word 模板无法读取：%(error)s") % {"error": exc}) from exc
    buffer = BytesIO()
    template.save(buffer)
    return buffer.getvalue()


def notice_render(*, notice: Notice, use_template: bool = True, order: str | None = None) -> bytes:
    """The notice .docx: the office's uploaded template when there is one, else GB/T 9704."""
    with official_language():
        context = template_context(notice, order) if use_template and notice.template else None
        if context is None:
            return build_notice(notice, order=order)
    with notice.template.open("rb") as handle:
        return render_template(handle.read(), context)


def notice_pdf(*, notice: Notice) -> bytes:
    """The notice as PDF through LibreOffice. With the built-in format, the 版记 page is read
    back from LibreOffice's own layout: if it is odd (fonts differ from the estimate's), the
    document is built again with the blank page added or removed (GB/T 9704 wants it even)."""
    from kaohe.common.pdf import docx_to_pdf, pdf_pages_text

    if notice.template:
        return docx_to_pdf(notice_render(notice=notice))
    with official_language():
        content = docx_to_pdf(build_notice(notice))
        for push in (0, 1, 2):
            pages = pdf_pages_text(content)
            if pages is None or _record_even(pages):
                return content
            content = docx_to_pdf(build_notice(notice, push=push))
    return content


def official_language():
    """The notice is an official Chinese document: labels in it are not translated into the
    page's language (error messages about it still are)."""
    return translation.override(settings.LANGUAGE_CODE)


def _record_even(pages: list[str]) -> bool:
    last = "".join(pages[-1].split())
    return len(pages) % 2 == 0 and "印发" in last


@transaction.atomic
def notice_template_upload(*, notice: Notice, upload, actor=None) -> Notice:
    """Store a docxtpl template after checking it is a .docx that renders with this notice."""
    checked = check_upload(upload, WORD_TEMPLATE)
    content = checked.data
    render_template(content, template_context(notice))
    if notice.template:
        notice.template.delete(save=False)
    notice.template.save(checked.name, ContentFile(content), save=True)
    audit_record(
        action=audit_actions.NOTICE_TEMPLATE_UPLOAD,
        actor=actor,
        obj=notice,
        scheme_id=notice.scheme_id,
        after={"file": checked.name, "size": checked.size},
    )
    return notice


@transaction.atomic
def notice_template_remove(*, notice: Notice, actor=None) -> Notice:
    if notice.template:
        notice.template.delete(save=True)
        audit_record(
            action=audit_actions.NOTICE_TEMPLATE_REMOVE,
            actor=actor,
            obj=notice,
            scheme_id=notice.scheme_id,
        )
    return notice


@transaction.atomic
def notice_publish(*, notice: Notice, actor=None) -> Notice:
    """Render and store the notice for the units concerned; only after the results are final."""
    notice = Notice.objects.select_for_update().select_related("scheme").get(pk=notice.pk)
    if notice.scheme.status != SchemeStatus.FINAL:
        raise ValidationError(_("考核结果定稿后才能发布通报。"))
    content = notice_render(notice=notice)
    if notice.published_file:
        notice.published_file.delete(save=False)
    notice.published_file.save(
        f"notice-{notice.scheme.code}.docx", ContentFile(content), save=False
    )
    notice.published_at = timezone.now()
    notice.save()
    audit_record(
        action=audit_actions.NOTICE_PUBLISH,
        actor=actor,
        obj=notice,
        scheme_id=notice.scheme_id,
        after={"file": notice.published_file.name, "size": len(content)},
    )
    return notice
