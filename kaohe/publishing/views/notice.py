"""Notice pages (edit, Word/PDF download, custom template, publish) and the dashboards."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from kaohe.common.excel import attachment, xlsx_response
from kaohe.common.pdf import PdfUnavailable, soffice_path
from kaohe.common.uploads import DOCX_TYPE
from kaohe.schemes import access
from kaohe.scoring.services import results_ensure_fresh

from .. import dashboards
from ..forms import NoticeForm, TemplateForm
from ..models import Notice
from ..notice_content import notice_prepare
from ..notice_drafts import draft_problems, draft_requirements
from ..selectors import access_published_notice, results_visible
from ..services import notice as notice_services
from .publicity import _error, download


def _office_notice(request, pk):
    scheme = access.access_scheme(request.user, pk, manage=True)
    return scheme, notice_prepare(scheme=scheme, actor=request.user)


@login_required
def notice_edit(request, pk):
    """The notice form. Buttons: 保存; 保存并生成 Word (what is on screen, saved first);
    起草“存在问题”“下一步工作要求” (fills the two fields on screen from the findings)."""
    scheme, notice = _office_notice(request, pk)
    # The form gets its own copy: ModelForm validation writes into its instance, and the
    # service must see the stored values to record what changed.
    action = request.POST.get("action", "save")
    data = request.POST or None
    if action == "draft" and data is not None:
        data = data.copy()
        data["problems"] = draft_problems(scheme) or data.get("problems", "")
        data["requirements"] = draft_requirements(scheme)
        messages.info(
            request, _("已根据考核发现的问题起草“存在问题”和“下一步工作要求”，请修改后保存。")
        )
    form = NoticeForm(data, instance=Notice.objects.get(pk=notice.pk))
    if request.method == "POST" and action != "draft" and form.is_valid():
        try:
            notice_services.notice_update(notice=notice, data=form.cleaned_data, actor=request.user)
        except ValidationError as exc:
            _error(request, exc)
        else:
            if action == "docx":
                messages.success(request, _("已保存，并按保存后的内容生成了 Word 文件。"))
                return notice_docx(request, pk)
            messages.success(request, _("通报内容已保存。"))
            return redirect("publishing:notice", pk=scheme.pk)
    return render(
        request,
        "publishing/notice.html",
        {
            "scheme": scheme,
            "notice": notice,
            "form": form,
            "template_form": TemplateForm(),
            "pdf_available": soffice_path() is not None,
            "placeholders": PLACEHOLDERS,
        },
    )


# What a custom Word template may contain, in words an office understands.
PLACEHOLDERS = [
    ("{{ title }}", gettext_lazy("标题")),
    ("{{ doc_number }}", gettext_lazy("发文字号")),
    ("{{ issuing_office }}", gettext_lazy("发文机关")),
    ("{{ addressees }}", gettext_lazy("主送机关")),
    ("{{ intro }}", gettext_lazy("导语")),
    ("{{ organisation }}", gettext_lazy("考核组织实施情况")),
    ("{{ achievements }}", gettext_lazy("工作主要成效")),
    ("{{ problems }}", gettext_lazy("存在问题")),
    ("{{ requirements }}", gettext_lazy("下一步工作要求")),
    ("{{ signature }}", gettext_lazy("落款")),
    ("{{ issue_date }}", gettext_lazy("成文日期")),
    ("{{ print_date }}", gettext_lazy("印发日期")),
    (
        "{% for c in categories %}{{ c.name }}{% for line in c.lines %}{{ line }}{% endfor %}"
        "{% endfor %}",
        gettext_lazy("各评定组别的等次名单（按组别逐行列出）"),
    ),
]


@login_required
def notice_docx(request, pk):
    scheme, notice = _office_notice(request, pk)
    results_ensure_fresh(scheme=scheme, actor=request.user)
    builtin = request.GET.get("builtin") == "1"
    try:
        content = notice_services.notice_render(notice=notice, use_template=not builtin)
    except ValidationError as exc:
        _error(request, exc)
        return redirect("publishing:notice", pk=scheme.pk)
    return attachment(content, f"{notice.title}.docx", DOCX_TYPE)


@login_required
def notice_pdf(request, pk):
    scheme, notice = _office_notice(request, pk)
    results_ensure_fresh(scheme=scheme, actor=request.user)
    try:
        content = notice_services.notice_pdf(notice=notice)
    except (ValidationError, PdfUnavailable) as exc:
        _error(request, exc)
        return redirect("publishing:notice", pk=scheme.pk)
    return attachment(content, f"{notice.title}.pdf", "application/pdf")


@login_required
@require_POST
def notice_template(request, pk):
    scheme, notice = _office_notice(request, pk)
    try:
        if request.POST.get("remove"):
            notice_services.notice_template_remove(notice=notice, actor=request.user)
            messages.success(request, _("已删除自定义模板，恢复内置公文格式。"))
        else:
            upload = request.FILES.get("template")
            if upload is None:
                raise ValidationError(_("请选择要上传的 Word 模板文件。"))
            notice_services.notice_template_upload(notice=notice, upload=upload, actor=request.user)
            messages.success(request, _("模板已上传并通过试生成检查。"))
    except ValidationError as exc:
        _error(request, exc)
    return redirect("publishing:notice", pk=scheme.pk)


@login_required
@require_POST
def notice_publish(request, pk):
    scheme, notice = _office_notice(request, pk)
    try:
        notice_services.notice_publish(notice=notice, actor=request.user)
    except ValidationError as exc:
        _error(request, exc)
    else:
        messages.success(request, _("通报已发布：各考核对象可在“本单位结果”页下载。"))
    return redirect("publishing:notice", pk=scheme.pk)


@login_required
def notice_published(request, pk):
    notice = access_published_notice(request.user, pk)
    return download(notice.published_file, f"{notice.title}.docx", DOCX_TYPE)


def _charts_response(request, charts, filename, template, context):
    if request.GET.get("format") == "xlsx":
        return xlsx_response(filename, [c.sheet() for c in charts])
    context["charts"] = charts
    return render(request, template, context)


@login_required
def dashboard(request, pk):
    scheme = access.access_scheme(request.user, pk, manage=True)
    results_ensure_fresh(scheme=scheme, actor=request.user)
    return _charts_response(
        request,
        dashboards.office_dashboard(scheme),
        _("%(scheme)s-统计分析") % {"scheme": scheme.name},
        "publishing/dashboard.html",
        {"scheme": scheme},
    )


@login_required
def unit_dashboard(request, pk):
    subject = access.access_subject(request.user, pk)
    if not results_visible(request.user, subject.scheme):
        raise Http404("结果尚未公示")
    return _charts_response(
        request,
        dashboards.unit_dashboard(subject),
        _("%(scheme)s-%(unit)s-成绩分析")
        % {"scheme": subject.scheme.name, "unit": subject.unit.name},
        "publishing/dashboard.html",
        {"scheme": subject.scheme, "subject": subject},
    )
