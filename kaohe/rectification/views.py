"""Rectification pages: a scheme's items (with last year's open ones), one item, evidence."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kaohe.common.excel import Sheet, xlsx_response
from kaohe.common.uploads import MATERIALS, check_uploads
from kaohe.schemes import access

from . import selectors, services
from .choices import ItemStatus
from .forms import GenerateForm, ItemCreateForm, SubmitForm, VerifyForm


def _error(request, exc) -> None:
    messages.error(request, _("；").join(getattr(exc, "messages", [str(exc)])))


@login_required
def index(request):
    schemes = access.visible_schemes(request.user).select_related("owner_unit")
    return render(request, "rectification/index.html", {"schemes": schemes})


ITEMS_PER_PAGE = 50  # a long list pages; the Excel export always has every item


@login_required
def scheme_items(request, pk):
    scheme = access.access_scheme(request.user, pk)
    status = request.GET.get("status", "")
    if status not in ItemStatus.values:
        status = ""
    overdue = request.GET.get("overdue") == "1"
    items = selectors.items_for(request.user, scheme, status=status, overdue=overdue)
    if request.GET.get("format") == "xlsx":
        rows = [
            [
                i.subject.unit.name,
                i.get_source_display(),
                i.title,
                i.deadline,
                i.get_status_display(),
                _("是") if i.is_overdue else "",
                i.measures,
                i.verify_comment,
            ]
            for i in items
        ]
        headers = [
            _("单位"),
            _("来源"),
            _("问题"),
            _("整改期限"),
            _("状态"),
            _("逾期"),
            _("整改措施"),
            _("核验意见"),
        ]
        return xlsx_response(
            _("%(scheme)s-整改事项") % {"scheme": scheme.name},
            [Sheet(_("整改事项"), headers, rows)],
        )
    manage = access.can_manage_scheme(request.user, scheme)
    subjects = list(access.visible_subjects(request.user, scheme)) if manage else []
    page = Paginator(items, ITEMS_PER_PAGE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    context = {
        "scheme": scheme,
        "items": page,
        "page": page,
        "page_query": params.urlencode(),
        "status": status,
        "overdue": overdue,
        "statuses": ItemStatus.choices,
        "manage": manage,
        "create_form": ItemCreateForm(subjects=subjects) if manage else None,
        "generate_form": GenerateForm() if manage else None,
        "previous": selectors.previous_open_items(request.user, scheme),
    }
    return render(request, "rectification/scheme_items.html", context)


@login_required
@require_POST
def item_create(request, pk):
    scheme = access.access_scheme(request.user, pk, manage=True)
    subjects = list(access.visible_subjects(request.user, scheme))
    form = ItemCreateForm(request.POST, subjects=subjects)
    if not form.is_valid():
        messages.error(request, _("请选择整改单位并填写问题和整改期限。"))
        return redirect("rectification:scheme", pk=scheme.pk)
    chosen = [s for s in subjects if s.pk in set(form.cleaned_data["subjects"])]
    try:
        items = services.items_create(
            scheme=scheme,
            subjects=chosen,
            title=form.cleaned_data["title"],
            description=form.cleaned_data["description"],
            deadline=form.cleaned_data["deadline"],
            actor=request.user,
        )
    except (ValidationError, PermissionDenied) as exc:
        _error(request, exc)
    else:
        messages.success(request, _("已为 %(count)s 个单位创建整改事项。") % {"count": len(items)})
    return redirect("rectification:scheme", pk=scheme.pk)


@login_required
@require_POST
def items_generate(request, pk):
    scheme = access.access_scheme(request.user, pk, manage=True)
    form = GenerateForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择来源并填写整改期限。"))
        return redirect("rectification:scheme", pk=scheme.pk)
    generate = (
        services.items_from_deductions
        if form.cleaned_data["source"] == "deduction"
        else services.items_from_checklists
    )
    try:
        count = generate(scheme=scheme, deadline=form.cleaned_data["deadline"], actor=request.user)
    except (ValidationError, PermissionDenied) as exc:
        _error(request, exc)
    else:
        messages.success(
            request, _("新生成 %(count)s 项整改事项（已有的不重复生成）。") % {"count": count}
        )
    return redirect("rectification:scheme", pk=scheme.pk)


@login_required
def item_detail(request, pk):
    item = selectors.access_item(request.user, pk)
    manage = access.can_manage_scheme(request.user, item.scheme)
    is_unit = access.is_unit_of_subject(request.user, item.subject)
    can_submit = is_unit and item.status in (ItemStatus.OPEN, ItemStatus.RETURNED)
    return render(
        request,
        "rectification/item.html",
        {
            "item": item,
            "evidence": item.evidence.all(),
            "submit_form": SubmitForm(initial={"measures": item.measures}) if can_submit else None,
            "verify_form": VerifyForm() if manage and item.status == ItemStatus.SUBMITTED else None,
        },
    )


@login_required
@require_POST
def item_submit(request, pk):
    item = selectors.access_item(request.user, pk)
    try:
        files = check_uploads(request.FILES.getlist("files"), MATERIALS)
        services.item_submit(
            item=item, measures=request.POST.get("measures", ""), files=files, actor=request.user
        )
    except PermissionDenied as exc:
        raise Http404(_("整改事项不存在")) from exc
    except ValidationError as exc:
        _error(request, exc)
    else:
        messages.success(request, _("整改情况已提交，等待考核办核验。"))
    return redirect("rectification:item", pk=item.pk)


@login_required
@require_POST
def item_verify(request, pk):
    item = selectors.access_item(request.user, pk)
    if not access.can_manage_scheme(request.user, item.scheme):
        raise Http404(_("整改事项不存在"))
    form = VerifyForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择核验结论。"))
        return redirect("rectification:item", pk=item.pk)
    try:
        services.item_verify(
            item=item,
            close=form.cleaned_data["verdict"] == "close",
            comment=form.cleaned_data["comment"],
            actor=request.user,
        )
    except (ValidationError, PermissionDenied) as exc:
        _error(request, exc)
    else:
        messages.success(request, _("核验结论已保存。"))
    return redirect("rectification:item", pk=item.pk)


@login_required
def evidence_download(request, pk):
    evidence = selectors.access_evidence(request.user, pk)
    return FileResponse(
        evidence.file.open("rb"),
        as_attachment=True,
        filename=evidence.original_name,
        content_type=evidence.content_type,
    )


@login_required
@require_POST
def item_from_objection(request, pk):
    from kaohe.publishing.selectors import access_objection

    objection = access_objection(request.user, pk)
    if not access.can_manage_scheme(request.user, objection.scheme):
        raise Http404(_("复核申请不存在"))
    form = GenerateForm({"source": "deduction", "deadline": request.POST.get("deadline")})
    try:
        if not form.is_valid():
            raise ValidationError(_("请填写有效的整改期限。"))
        item = services.item_from_objection(
            objection=objection, deadline=form.cleaned_data["deadline"], actor=request.user
        )
    except (ValidationError, PermissionDenied) as exc:
        _error(request, exc)
        return redirect("publishing:objection", pk=objection.pk)
    if item is None:
        messages.info(request, _("该复核申请已转为整改事项。"))
        return redirect("publishing:objection", pk=objection.pk)
    return redirect("rectification:item", pk=item.pk)


@login_required
@require_POST
def item_from_opinion(request, pk):
    """A forum opinion (surveys app) becomes an item; back to the forum record."""
    from datetime import date

    from kaohe.surveys.selectors import access_opinion

    opinion = access_opinion(request.user, pk)
    raw = (request.POST.get("subject") or "").strip()
    subject = None
    if raw.isdigit() and len(raw) < 19:
        subject = opinion.forum.scheme.subjects.filter(pk=int(raw)).first()
    try:
        deadline = date.fromisoformat(request.POST.get("deadline", ""))
    except ValueError:
        messages.error(request, _("请填写有效的整改期限。"))
        return redirect("surveys:forum", pk=opinion.forum_id)
    try:
        item = services.item_from_opinion(
            opinion=opinion, deadline=deadline, actor=request.user, subject=subject
        )
    except (ValidationError, PermissionDenied) as exc:
        _error(request, exc)
        return redirect("surveys:forum", pk=opinion.forum_id)
    if item is None:
        messages.info(request, _("该意见已转为整改事项。"))
    else:
        messages.success(request, _("已转为整改事项 #%(pk)s。") % {"pk": item.pk})
    return redirect("surveys:forum", pk=opinion.forum_id)
