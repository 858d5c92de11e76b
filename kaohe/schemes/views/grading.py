"""Grading pages: components and weights, grade levels and quotas, grading categories."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.forms import modelformset_factory
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext

from kaohe.common.decimals import parse_id
from kaohe.common.forms import form_copy
from kaohe.schemes import access

from .. import services
from ..forms import (
    ComponentCreateForm,
    ComponentForm,
    GradeLevelForm,
    GradingCategoryForm,
)
from ..models import GradeLevel
from .common import _error_text, _saved


@login_required
def component_edit(request, pk, component_pk):
    scheme = access.access_scheme(request.user, pk, manage=True)
    component = get_object_or_404(scheme.components, pk=component_pk)
    form = ComponentForm(request.POST or None, instance=form_copy(component))
    if (
        request.method == "POST"
        and form.is_valid()
        and _saved(
            form,
            lambda: services.component_update(
                component=component, data=form.cleaned_data, actor=request.user
            ),
        )
    ):
        messages.success(request, (gettext("已保存“%(name)s”。") % {"name": component.name}))
        return redirect("schemes:detail", scheme.pk)
    return render(
        request,
        "schemes/scheme_form.html",
        {
            "form": form,
            "scheme": scheme,
            "title": (gettext("修改考核类别：%(name)s") % {"name": component.name}),
        },
    )


@login_required
def grade_levels_edit(request, pk):
    scheme = access.access_scheme(request.user, pk, manage=True)
    formset_class = modelformset_factory(GradeLevel, form=GradeLevelForm, extra=1, can_delete=True)
    queryset = scheme.grade_levels.filter(grading_category__isnull=True).order_by("order")
    formset = formset_class(request.POST or None, queryset=queryset)
    if request.method == "POST" and formset.is_valid():
        specs = [
            services.GradeLevelSpec(
                f.cleaned_data["name"],
                f.cleaned_data["min_total"],
                f.cleaned_data.get("quota_percent"),
            )
            for f in formset.forms
            if f.cleaned_data and f.cleaned_data.get("name") and not f.cleaned_data.get("DELETE")
        ]
        specs.sort(key=lambda spec: spec.min_total, reverse=True)
        try:
            services.grade_levels_save(scheme=scheme, levels=specs, actor=request.user)
        except ValidationError as error:
            messages.error(request, gettext("未保存：%(errors)s") % {"errors": _error_text(error)})
        else:
            messages.success(request, gettext("等次规则已保存，结果将按新规则重新计算。"))
            return redirect("schemes:detail", scheme.pk)
    return render(request, "schemes/grade_levels.html", {"formset": formset, "scheme": scheme})


@login_required
def grading_categories(request, pk):
    """Grading categories (评定组别) and components (考核类别) of a scheme: add and remove."""
    scheme = access.access_scheme(request.user, pk, manage=True)
    category_form = GradingCategoryForm(request.POST or None, prefix="gc")
    component_form = ComponentCreateForm(request.POST or None, prefix="co")
    component_form.instance.scheme = scheme
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "add_category" and category_form.is_valid():
                data = category_form.cleaned_data
                services.grading_category_create(
                    scheme=scheme,
                    name=data["name"],
                    unit_categories=data["unit_categories"],
                    order=data["order"],
                    actor=request.user,
                )
                messages.success(
                    request, (gettext("已添加评定组别“%(value)s”。") % {"value": data["name"]})
                )
                return redirect("schemes:grading", scheme.pk)
            if action == "delete_category":
                category = get_object_or_404(
                    scheme.grading_categories, pk=parse_id(request.POST.get("category")) or 0
                )
                services.grading_category_delete(category=category, actor=request.user)
                messages.success(
                    request, (gettext("已删除评定组别“%(category)s”。") % {"category": category})
                )
                return redirect("schemes:grading", scheme.pk)
            if action == "add_component" and component_form.is_valid():
                data = component_form.cleaned_data
                services.component_create(scheme=scheme, actor=request.user, **data)
                messages.success(
                    request, (gettext("已添加考核类别“%(value)s”。") % {"value": data["name"]})
                )
                return redirect("schemes:grading", scheme.pk)
        except ValidationError as error:
            messages.error(request, _error_text(error))
    return render(
        request,
        "schemes/grading.html",
        {
            "scheme": scheme,
            "category_form": category_form,
            "component_form": component_form,
            "categories": scheme.grading_categories.prefetch_related("unit_categories"),
            "components": scheme.components.all(),
        },
    )
