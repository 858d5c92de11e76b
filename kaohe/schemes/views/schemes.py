"""Scheme pages: list, create, detail, settings, copy from last year."""

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext

from kaohe.common.forms import form_copy
from kaohe.orgs.models import Unit
from kaohe.schemes import access

from .. import services
from ..forms import (
    SchemeCopyForm,
    SchemeForm,
)
from ..selectors import leaf_max_by_category
from .common import _saved


@login_required
def scheme_list(request):
    schemes = access.visible_schemes(request.user).select_related("owner_unit")
    return render(
        request,
        "schemes/scheme_list.html",
        {"schemes": schemes, "can_create": access.is_office_anywhere(request.user)},
    )


def _office_units(user):
    """Units where the user may own a scheme (office admin assignments)."""
    if access.superuser_powers(user):
        return Unit.objects.all()
    return Unit.objects.filter(access.unit_q(user, access.Role.OFFICE_ADMIN))


@login_required
def scheme_create(request):
    if not access.is_office_anywhere(request.user):
        raise Http404
    owner_units = _office_units(request.user)
    form = SchemeForm(request.POST or None, owner_units=owner_units)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        scheme = services.scheme_create(
            code=data["code"],
            name=data["name"],
            year=data["year"],
            owner_unit=data["owner_unit"],
            actor=request.user,
            issuing_office=data["issuing_office"],
            settings={k: data[k] for k in services.SCHEME_FIELDS if k in data},
        )
        messages.success(
            request,
            (
                gettext("已创建考核方案“%(name)s”，默认含三类考核及四个等次，可修改。")
                % {"name": scheme.name}
            ),
        )
        return redirect("schemes:detail", scheme.pk)
    return render(
        request, "schemes/scheme_form.html", {"form": form, "title": gettext("新建考核方案")}
    )


@login_required
def scheme_detail(request, pk):
    scheme = access.access_scheme(request.user, pk)
    manage = access.can_manage_scheme(request.user, scheme)
    context = {
        "scheme": scheme,
        "manage": manage,
        "can_view_all": access.can_view_all_subjects(request.user, scheme),
        "components": scheme.components.all(),
        "weight_total": sum((c.weight for c in scheme.components.all()), Decimal(0)),
        "grading_categories": scheme.grading_categories.prefetch_related("unit_categories"),
        "grade_levels": scheme.grade_levels.select_related("grading_category"),
        "subject_count": scheme.subjects.count(),
        "indicator_count": scheme.indicators.count(),
        "max_table": leaf_max_by_category(scheme=scheme) if manage else [],
    }
    return render(request, "schemes/scheme_detail.html", context)


@login_required
def scheme_edit(request, pk):
    scheme = access.access_scheme(request.user, pk, manage=True)
    form = SchemeForm(request.POST or None, instance=form_copy(scheme))
    if (
        request.method == "POST"
        and form.is_valid()
        and _saved(
            form,
            lambda: services.scheme_update(
                scheme=scheme, data=form.cleaned_data, actor=request.user
            ),
        )
    ):
        messages.success(request, gettext("方案设置已保存。"))
        return redirect("schemes:detail", scheme.pk)
    return render(
        request,
        "schemes/scheme_form.html",
        {"form": form, "scheme": scheme, "title": gettext("修改方案设置")},
    )


@login_required
def scheme_copy(request, pk):
    source = access.access_scheme(request.user, pk, manage=True)
    form = SchemeCopyForm(
        request.POST or None,
        initial={
            "year": source.year + 1,
            "code": f"{source.code}-copy",
            "name": source.name.replace(str(source.year), str(source.year + 1)),
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        scheme = services.scheme_copy(
            source=source,
            code=data["code"],
            name=data["name"],
            year=data["year"],
            actor=request.user,
            include_subjects=data["include_subjects"],
        )
        messages.success(
            request,
            (
                gettext("已从“%(name)s”复制出“%(name2)s”（指标与规则一并复制）。")
                % {"name": source.name, "name2": scheme.name}
            ),
        )
        return redirect("schemes:detail", scheme.pk)
    return render(
        request,
        "schemes/scheme_form.html",
        {"form": form, "scheme": source, "title": gettext("复制为新年度方案")},
    )
