"""Import pages: upload → preview (dry run, with unit-name mapping) → apply with progress."""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kaohe.orgs.models import Unit
from kaohe.schemes import access

from .. import jobs, selectors, services
from ..choices import RUNNING_STATUSES, ImportKind, JobStatus
from ..forms import AliasForm, UploadForm


def _office_only(user) -> None:
    if not access.is_office_anywhere(user):
        raise Http404(_("页面不存在"))


@login_required
def index(request):
    _office_only(request.user)
    forms = {kind: UploadForm(kind=kind, user=request.user) for kind in ImportKind.values}
    return render(
        request,
        "transfer/index.html",
        {
            "forms": [(kind, ImportKind(kind).label, form) for kind, form in forms.items()],
            "jobs": selectors.recent_jobs(request.user),
            "schemes": selectors.manageable_schemes(request.user),
        },
    )


@login_required
@require_POST
def upload(request, kind):
    _office_only(request.user)
    if kind not in ImportKind.values:
        raise Http404(_("导入类型不存在"))
    form = UploadForm(request.POST, request.FILES, kind=kind, user=request.user)
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            messages.error(
                request, _("%(label)s：%(value)s") % {"label": label, "value": _("；").join(errors)}
            )
        return redirect("transfer:index")
    scheme = form.cleaned_data.get("scheme")
    if scheme is not None:
        scheme = access.access_scheme(request.user, scheme.pk, manage=True)
    owner = scheme.owner_unit if scheme else form.cleaned_data["owner_unit"]
    owner = selectors.access_owner_unit(request.user, owner.pk)
    job = services.import_job_create(
        kind=kind,
        scheme=scheme,
        owner=owner,
        uploaded=form.cleaned_data["file"],
        options=form.options(),
        actor=request.user,
    )
    jobs.job_start(job, "check")
    return redirect("transfer:job", pk=job.pk)


def _job_context(job):
    report = job.report or {}
    units = []
    if report.get("unmatched"):
        units = list(Unit.objects.filter(path__startswith=job.owner_unit.path).only("pk", "name"))
    return {
        "job": job,
        "report": report,
        "running": job.status in RUNNING_STATUSES,
        # A step still "running" hours later was cut off by a server restart (and rolled back).
        "stale": job.status in RUNNING_STATUSES
        and job.updated_at < timezone.now() - timedelta(hours=2),
        # A background step given up after restarts says why (kaohe.background recovery).
        "failure": jobs.run_failure(job),
        "progress": jobs.progress_get(job.pk),
        "units": units,
        "levels": [(level, report.get("counts", {}).get(str(level), 0)) for level in (1, 2, 3)],
    }


@login_required
def job_detail(request, pk):
    job = selectors.access_job(request.user, pk)
    return render(request, "transfer/job_detail.html", _job_context(job))


@login_required
def job_progress(request, pk):
    """The htmx-polled fragment; tells the page to reload once the step is over."""
    job = selectors.access_job(request.user, pk)
    if job.status not in RUNNING_STATUSES:
        response = HttpResponse("")
        response["HX-Refresh"] = "true"
        return response
    return render(request, "transfer/_progress.html", _job_context(job))


@login_required
@require_POST
def job_apply_view(request, pk):
    job = selectors.access_job(request.user, pk)
    if job.status != JobStatus.CHECKED:
        messages.error(request, _("只有检查通过、尚未导入的文件才能导入。"))
        return redirect("transfer:job", pk=job.pk)
    if job.scheme_id:
        access.access_scheme(request.user, job.scheme_id, manage=True)
    jobs.job_start(job, "apply", actor=request.user)
    return redirect("transfer:job", pk=job.pk)


@login_required
@require_POST
def job_aliases(request, pk):
    """Save the mappings chosen in the preview, then check the file again."""
    job = selectors.access_job(request.user, pk)
    if job.status not in (JobStatus.CHECKED, JobStatus.INVALID):
        raise Http404(_("导入任务不存在"))
    names = {u["name"] for u in (job.report or {}).get("unmatched", [])}
    saved = 0
    try:
        for index in range(len(names) + 5):
            name = request.POST.get(f"name-{index}", "")
            choice = request.POST.get(f"unit-{index}", "")
            if name not in names or not choice:
                continue
            unit = None
            if choice != "none":
                unit = Unit.objects.filter(pk=choice, path__startswith=job.owner_unit.path).first()
                if unit is None:
                    continue
            services.unit_alias_save(
                owner_unit=job.owner_unit, name=name, unit=unit, actor=request.user
            )
            saved += 1
    except ValidationError as exc:
        messages.error(request, _("；").join(exc.messages))
    messages.success(request, _("已保存 %(n)d 个单位别名，并重新检查了文件。") % {"n": saved})
    jobs.job_start(job, "check")
    return redirect("transfer:job", pk=job.pk)


@login_required
def alias_list(request):
    _office_only(request.user)
    form = AliasForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        owner = selectors.access_owner_unit(request.user, form.cleaned_data["owner_unit"].pk)
        try:
            services.unit_alias_save(
                owner_unit=owner,
                name=form.cleaned_data["name"],
                unit=form.cleaned_data["unit"],
                actor=request.user,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("别名已保存。"))
            return redirect("transfer:aliases")
    return render(
        request,
        "transfer/aliases.html",
        {"aliases": selectors.aliases_for(request.user), "form": form},
    )


@login_required
@require_POST
def alias_delete(request, pk):
    alias = selectors.access_alias(request.user, pk)
    services.unit_alias_delete(alias=alias, actor=request.user)
    messages.success(request, _("别名已删除。"))
    return redirect("transfer:aliases")
