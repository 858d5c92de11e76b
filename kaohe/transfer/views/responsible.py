"""The office's check of a scheme's 责任单位 names, and its named unit groups."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from kaohe.orgs.models import Unit
from kaohe.orgs.services import unit_group_save
from kaohe.schemes import access

from .. import selectors, services
from ..forms import UnitGroupForm
from ..responsibility import responsibility_report, responsibility_resolve


@login_required
def responsible(request, pk):
    """GET: every name and what it means; POST: confirm the chosen units in one step."""
    scheme = access.access_scheme(request.user, pk, manage=True)
    rows = responsibility_report(scheme)
    if request.method == "POST":
        unknown = {r.name for r in rows if r.kind == "unknown"}
        saved = _save_choices(request, scheme.owner_unit, unknown)
        added = responsibility_resolve(scheme=scheme, actor=request.user)
        messages.success(
            request,
            _(
                "已确认 %(n)d 个名称（保存为单位别名）；新关联单位 %(u)d 个、单位组 %(g)d 个、"
                "考核对象类别 %(c)d 个。到任务进度页点击“从任务分解表生成任务”即可为新增的单位生成任务。"
            )
            % {"n": saved, "u": added["units"], "g": added["groups"], "c": added["categories"]},
        )
        return redirect("transfer:responsible", pk=scheme.pk)
    units = Unit.objects.filter(path__startswith=scheme.owner_unit.path).only("pk", "name")
    context = {
        "scheme": scheme,
        "rows": rows,
        "unknown": [r for r in rows if r.kind == "unknown"],
        "units": units,
    }
    return render(request, "transfer/responsible.html", context)


def _save_choices(request, owner, unknown: set[str]) -> int:
    saved = 0
    for index in range(len(unknown)):
        name = request.POST.get(f"name-{index}", "")
        choice = request.POST.get(f"unit-{index}", "")
        if name not in unknown or not choice:
            continue
        unit = None
        if choice != "none":
            unit = Unit.objects.filter(pk=choice, path__startswith=owner.path).first()
            if unit is None:
                continue
        try:
            services.unit_alias_save(owner_unit=owner, name=name, unit=unit, actor=request.user)
        except ValidationError as exc:
            messages.error(request, _("；").join(exc.messages))
            continue
        saved += 1
    return saved


@login_required
def groups(request):
    """The office's named unit groups (领导小组成员单位 …): list, add, edit."""
    if not access.is_office_anywhere(request.user):
        from django.http import Http404

        raise Http404(_("页面不存在"))
    editing = (
        selectors.access_group(request.user, request.GET["edit"])
        if request.GET.get("edit")
        else None
    )
    initial = None
    if editing is not None:
        initial = {
            "owner_unit": editing.owner_unit,
            "name": editing.name,
            "note": editing.note,
            "members": list(editing.members.all()),
        }
    form = UnitGroupForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        owner = selectors.access_owner_unit(request.user, data["owner_unit"].pk)
        try:
            unit_group_save(
                owner_unit=owner,
                name=data["name"],
                members=data["members"],
                note=data["note"],
                actor=request.user,
                group=editing,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("单位组“%(name)s”已保存。") % {"name": data["name"]})
            return redirect("transfer:groups")
    return render(
        request,
        "transfer/groups.html",
        {"groups": selectors.groups_for(request.user), "form": form, "editing": editing},
    )
