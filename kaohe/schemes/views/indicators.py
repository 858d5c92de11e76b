"""Indicator tree pages: list, add, edit, delete."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from kaohe.common.forms import form_copy
from kaohe.schemes import access

from .. import services
from ..forms import (
    IndicatorForm,
)
from ..models import Indicator
from ..selectors import indicator_tree
from .common import _error_text

# --- indicators -------------------------------------------------------------------------


@login_required
def indicator_list(request, pk):
    scheme = access.access_scheme(request.user, pk)
    return render(
        request,
        "schemes/indicator_list.html",
        {
            "scheme": scheme,
            "nodes": indicator_tree(scheme=scheme),
            "manage": access.can_manage_scheme(request.user, scheme),
        },
    )


def _indicator_fields(data: dict) -> dict:
    return {k: data[k] for k in Indicator.EDITABLE_FIELDS if k in data}


@login_required
def indicator_create(request, pk):
    scheme = access.access_scheme(request.user, pk, manage=True)
    initial = {}
    parent_id = request.GET.get("parent")
    if parent_id and parent_id.isdigit():
        initial["parent"] = get_object_or_404(scheme.indicators, pk=parent_id)
    form = IndicatorForm(request.POST or None, scheme=scheme, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        fields = _indicator_fields(data)
        try:
            indicator = services.indicator_create(
                scheme=scheme,
                parent=data.get("parent"),
                component=data.get("component"),
                actor=request.user,
                applies_to=data["applies_to"],
                responsible_units=data["responsible_units"],
                **{k: v for k, v in fields.items() if k not in ("code", "name")},
                code=fields["code"],
                name=fields["name"],
            )
        except ValidationError as error:
            form.add_error(None, _error_text(error))
        else:
            messages.success(
                request, (gettext("已添加指标 %(indicator)s。") % {"indicator": indicator})
            )
            return redirect("schemes:indicators", scheme.pk)
    return render(
        request,
        "schemes/indicator_form.html",
        {"form": form, "scheme": scheme, "title": gettext("添加指标")},
    )


@login_required
def indicator_edit(request, pk, indicator_pk):
    scheme = access.access_scheme(request.user, pk, manage=True)
    indicator = get_object_or_404(Indicator, pk=indicator_pk, scheme=scheme)
    form = IndicatorForm(request.POST or None, scheme=scheme, instance=form_copy(indicator))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.indicator_update(
                indicator=indicator,
                data=_indicator_fields(data),
                actor=request.user,
                applies_to=data["applies_to"],
                responsible_units=data["responsible_units"],
            )
        except ValidationError as error:
            form.add_error(None, _error_text(error))
        else:
            messages.success(
                request, (gettext("已保存指标 %(indicator)s。") % {"indicator": indicator})
            )
            return redirect("schemes:indicators", scheme.pk)
    return render(
        request,
        "schemes/indicator_form.html",
        {
            "form": form,
            "scheme": scheme,
            "title": (gettext("修改指标 %(indicator)s") % {"indicator": indicator}),
        },
    )


@login_required
@require_POST
def indicator_delete(request, pk, indicator_pk):
    scheme = access.access_scheme(request.user, pk, manage=True)
    indicator = get_object_or_404(Indicator, pk=indicator_pk, scheme=scheme)
    try:
        services.indicator_delete(indicator=indicator, actor=request.user)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, (gettext("已删除指标 %(code)s。") % {"code": indicator.code}))
    return redirect("schemes:indicators", scheme.pk)
