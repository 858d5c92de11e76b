"""Background task: render a results notice (.docx, and .pdf when LibreOffice is present).

The files go to storage under notices/; the run's result names them for the download view.
"""

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django_tasks import task

NOTICE_REF = "publishing.notice:{}"


@task()
def notice_generate_task(notice_id: int, pdf: bool = False, builtin: bool = False) -> dict:
    """Render the notice from its saved content (the results made fresh first) and store the
    files; the result names them and links the office to them (views/notice.py: notice_file)."""
    from django.urls import reverse
    from django.utils.translation import gettext as _

    from kaohe.background.progress import progress_set
    from kaohe.common.pdf import docx_to_pdf
    from kaohe.scoring.services import results_ensure_fresh

    from .models import Notice
    from .services.notice import notice_render

    notice = Notice.objects.select_related("scheme").get(pk=notice_id)
    results_ensure_fresh(scheme=notice.scheme)
    progress_set(0, 2 if pdf else 1, "docx", force=True)
    content = notice_render(notice=notice, use_template=not builtin)
    names = {"docx": default_storage.save(f"notices/{notice_id}/notice.docx", ContentFile(content))}
    if pdf:
        progress_set(1, 2, "pdf", force=True)
        pdf_name = f"notices/{notice_id}/notice.pdf"
        names["pdf"] = default_storage.save(pdf_name, ContentFile(docx_to_pdf(content)))
    links = [
        {
            "url": reverse("publishing:notice_file", args=[notice.scheme_id, kind]),
            "label": _("下载 %(kind)s") % {"kind": "Word" if kind == "docx" else "PDF"},
        }
        for kind in names
    ]
    return {**names, "message": _("通报文件已生成。"), "links": links}
