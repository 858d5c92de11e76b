"""Task pages for units (my tasks, materials, submit) and the office (review, extensions)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kaohe.common.cached import cached_part, part_key
from kaohe.common.decimals import parse_id
from kaohe.common.forms import form_copy
from kaohe.orgs.models import Person

from .. import selectors, services
from ..choices import TaskState
from ..forms import ExtensionDecisionForm, ExtensionForm, ReviewForm, SubmitForm, TaskEditForm


def _errors(request, exc: ValidationError) -> None:
    for text in exc.messages:
        messages.error(request, text)


def _form_errors(request, form) -> None:
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for error in errors:
            messages.error(
                request,
                _("%(label)s：%(error)s") % {"label": label, "error": error} if label else error,
            )


@login_required
def index(request):
    status = request.GET.get("status", "")
    status = status if status in TaskState.values else ""
    context = {
        "table_html": _my_tasks_table(request.user, status),
        "schemes": selectors.managed_schemes(request.user),
        "status": status,
        "statuses": TaskState.choices,
    }
    return render(request, "tasks/index.html", context)


def _my_tasks_table(user, status: str) -> SafeString:
    """The task list. When it is exactly the tasks of the user's own units (the usual unit
    user), it is cached under those units' task stamps, the day (days left) and the language:
    two users of one unit share it, and any change to a task shows at once."""

    def render_table() -> str:
        tasks = selectors.my_tasks(user, status=status)
        return render_to_string("tasks/_my_tasks_table.html", {"tasks": tasks})

    units = selectors.my_units(user)
    if not units:
        return mark_safe(render_table())  # noqa: S308 — our template
    parts = (units, selectors.unit_tasks_stamp(units), status, timezone.localdate())
    parts += (get_language(),)
    return mark_safe(cached_part(part_key("my-tasks", parts), render_table))  # noqa: S308


@login_required
def detail(request, pk):
    task = selectors.access_task(request.user, pk)
    context = {
        "task": task,
        "can_work": selectors.can_work_on(request.user, task),
        "can_manage": selectors.can_manage(request.user, task),
        "submit_form": SubmitForm(initial={"description": task.note}),
        "review_form": ReviewForm(),
        "extension_form": ExtensionForm(),
        "decision_form": ExtensionDecisionForm(),
        "edit_form": TaskEditForm(instance=task),
        **selectors.task_detail(task),
    }
    if task.special_form == "people" and context["can_work"]:
        context["people"] = Person.objects.filter(unit=task.unit, is_active=True).order_by(
            "level", "id"
        )
        context["chosen"] = {n.person_id for n in context["nominees"]}
    return render(request, "tasks/detail.html", context)


@login_required
@require_POST
def upload(request, pk):
    task = selectors.access_task(request.user, pk, work=True)
    try:
        replace = request.POST.get("replace")
        if replace:
            task_file = selectors.access_task_file(request.user, parse_id(replace) or 0)
            uploads = request.FILES.getlist("files")
            if len(uploads) != 1:
                raise ValidationError(_("替换时请选择一个文件。"))
            services.material_upload(
                task=task, upload=uploads[0], actor=request.user, replace=task_file
            )
            messages.success(
                request, _("已替换「%(name)s」，旧版本已保留。") % {"name": task_file.name}
            )
        else:
            versions = services.materials_upload(
                task=task, uploads=request.FILES.getlist("files"), actor=request.user
            )
            messages.success(request, _("已上传 %(n)d 个文件。") % {"n": len(versions)})
    except ValidationError as exc:
        _errors(request, exc)
    return redirect("tasks:detail", task.pk)


@login_required
@require_POST
def remove_file(request, pk):
    task_file = selectors.access_task_file(request.user, pk)
    try:
        services.material_remove(task_file=task_file, actor=request.user)
        messages.success(
            request, _("已删除「%(name)s」（历史版本仍保留）。") % {"name": task_file.name}
        )
    except ValidationError as exc:
        _errors(request, exc)
    return redirect("tasks:detail", task_file.task_id)


@login_required
@require_POST
def nominees(request, pk):
    task = selectors.access_task(request.user, pk, work=True)
    enterprises = [
        {
            "enterprise_name": name,
            "credit_code": code,
            "contact": contact,
        }
        for name, code, contact in zip(
            request.POST.getlist("enterprise_name"),
            request.POST.getlist("credit_code"),
            request.POST.getlist("contact"),
            strict=False,
        )
    ]
    try:
        person_ids = [int(i) for i in request.POST.getlist("person")]
        services.nominees_save(
            task=task, actor=request.user, person_ids=person_ids, enterprises=enterprises
        )
        messages.success(request, _("推荐名单已保存。"))
    except ValueError:
        messages.error(request, _("所选人员无效。"))
    except ValidationError as exc:
        _errors(request, exc)
    return redirect("tasks:detail", task.pk)


@login_required
@require_POST
def submit(request, pk):
    task = selectors.access_task(request.user, pk, work=True)
    form = SubmitForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect("tasks:detail", task.pk)
    try:
        services.task_submit(
            task=task, actor=request.user, description=form.cleaned_data["description"]
        )
        messages.success(request, _("材料已提交，等待考核办审核。"))
    except ValidationError as exc:
        _errors(request, exc)
    return redirect("tasks:detail", task.pk)


@login_required
@require_POST
def review(request, pk):
    task = selectors.access_task(request.user, pk, manage=True)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect("tasks:detail", task.pk)
    accept = form.cleaned_data["decision"] == "accept"
    try:
        services.task_review(
            task=task, actor=request.user, accept=accept, comment=form.cleaned_data["comment"]
        )
        messages.success(request, _("已通过。") if accept else _("已退回，单位会收到审核意见。"))
    except ValidationError as exc:
        _errors(request, exc)
    return redirect("tasks:detail", task.pk)


@login_required
@require_POST
def edit(request, pk):
    task = selectors.access_task(request.user, pk, manage=True)
    form = TaskEditForm(request.POST, instance=form_copy(task))
    if not form.is_valid():
        _form_errors(request, form)
        return redirect("tasks:detail", task.pk)
    try:
        services.task_update(task=task, data=form.cleaned_data, actor=request.user)
        messages.success(request, _("任务要求已更新。"))
    except ValidationError as exc:
        _errors(request, exc)
    return redirect("tasks:detail", task.pk)


@login_required
@require_POST
def extension(request, pk):
    task = selectors.access_task(request.user, pk, work=True)
    form = ExtensionForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect("tasks:detail", task.pk)
    try:
        services.extension_request(task=task, actor=request.user, **form.cleaned_data)
        messages.success(request, _("延期申请已提交。"))
    except ValidationError as exc:
        _errors(request, exc)
    return redirect("tasks:detail", task.pk)


@login_required
@require_POST
def extension_decide(request, pk):
    ext = selectors.access_extension(request.user, pk)
    form = ExtensionDecisionForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect("tasks:detail", ext.task_id)
    data = form.cleaned_data
    try:
        services.extension_decide(
            extension=ext,
            actor=request.user,
            approve=data["decision"] == "approve",
            comment=data["comment"],
            new_deadline=data["new_deadline"],
        )
        messages.success(request, _("延期申请已处理。"))
    except ValidationError as exc:
        _errors(request, exc)
    if request.POST.get("next") == "board":
        return redirect("tasks:board", ext.task.scheme_id)
    return redirect("tasks:detail", ext.task_id)


@login_required
def download(request, pk):
    """Files leave only through here, as attachments, after the task's access check."""
    version = selectors.access_file_version(request.user, pk)
    handle = version.file.open("rb")
    response = FileResponse(
        handle, as_attachment=True, filename=version.name, content_type="application/octet-stream"
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
