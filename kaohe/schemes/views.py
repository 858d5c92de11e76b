"""Scheme pages for the office: schemes, weights and grades, indicator tree, subjects, scores.

Views parse input, call one service or selector, and render; access is decided in
kaohe.accounts.access (404 for missing and not-yours alike).
"""

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.forms import modelformset_factory
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from kaohe.accounts import access
from kaohe.common.decimals import parse_decimal
from kaohe.orgs.models import Unit
from kaohe.scoring.selectors import score_sheet

from . import services
from .choices import SchemeStatus
from .forms import (
    ComponentCreateForm,
    ComponentForm,
    EnrolForm,
    GradeLevelForm,
    GradingCategoryForm,
    IndicatorForm,
    SchemeCopyForm,
    SchemeForm,
)
from .models import GradeLevel, Indicator, Subject
from .selectors import indicator_tree, leaf_max_by_category


def _error_text(error: ValidationError) -> str:
    return "；".join(error.messages)


def _saved(form, call) -> bool:
    """Run a service for a valid form; a refusal becomes the form's error, never a 500."""
    try:
        call()
    except ValidationError as error:
        form.add_error(None, error if hasattr(error, "error_dict") else _error_text(error))
        return False
    return True


def _form_copy(instance):
    """A fresh copy for a ModelForm: is_valid() writes into its instance, and the service
    must compare the stored values with the new ones to audit the change."""
    return type(instance).objects.get(pk=instance.pk)


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
    if user.is_superuser:
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
            request, f"已创建考核方案“{scheme.name}”，默认含三类考核及四个等次，可修改。"
        )
        return redirect("schemes:detail", scheme.pk)
    return render(request, "schemes/scheme_form.html", {"form": form, "title": "新建考核方案"})


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
    form = SchemeForm(request.POST or None, instance=_form_copy(scheme))
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
        messages.success(request, "方案设置已保存。")
        return redirect("schemes:detail", scheme.pk)
    return render(
        request,
        "schemes/scheme_form.html",
        {"form": form, "scheme": scheme, "title": "修改方案设置"},
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
            request, f"已从“{source.name}”复制出“{scheme.name}”（指标与规则一并复制）。"
        )
        return redirect("schemes:detail", scheme.pk)
    return render(
        request,
        "schemes/scheme_form.html",
        {"form": form, "scheme": source, "title": "复制为新年度方案"},
    )


@login_required
def component_edit(request, pk, component_pk):
    scheme = access.access_scheme(request.user, pk, manage=True)
    component = get_object_or_404(scheme.components, pk=component_pk)
    form = ComponentForm(request.POST or None, instance=_form_copy(component))
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
        messages.success(request, f"已保存“{component.name}”。")
        return redirect("schemes:detail", scheme.pk)
    return render(
        request,
        "schemes/scheme_form.html",
        {"form": form, "scheme": scheme, "title": f"修改考核类别：{component.name}"},
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
            messages.error(request, "未保存：" + _error_text(error))
        else:
            messages.success(request, "等次规则已保存，结果将按新规则重新计算。")
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
                messages.success(request, f"已添加评定组别“{data['name']}”。")
                return redirect("schemes:grading", scheme.pk)
            if action == "delete_category":
                category = get_object_or_404(
                    scheme.grading_categories, pk=request.POST.get("category")
                )
                services.grading_category_delete(category=category, actor=request.user)
                messages.success(request, f"已删除评定组别“{category}”。")
                return redirect("schemes:grading", scheme.pk)
            if action == "add_component" and component_form.is_valid():
                data = component_form.cleaned_data
                services.component_create(scheme=scheme, actor=request.user, **data)
                messages.success(request, f"已添加考核类别“{data['name']}”。")
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
    keep = [
        "code",
        "name",
        "order",
        "max_score",
        "method",
        "veto_grade",
        "content",
        "requirement",
        "materials",
        "deadline",
    ]
    return {k: data[k] for k in keep if k in data}


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
            messages.success(request, f"已添加指标 {indicator}。")
            return redirect("schemes:indicators", scheme.pk)
    return render(
        request,
        "schemes/indicator_form.html",
        {"form": form, "scheme": scheme, "title": "添加指标"},
    )


@login_required
def indicator_edit(request, pk, indicator_pk):
    scheme = access.access_scheme(request.user, pk, manage=True)
    indicator = get_object_or_404(Indicator, pk=indicator_pk, scheme=scheme)
    form = IndicatorForm(request.POST or None, scheme=scheme, instance=_form_copy(indicator))
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
            messages.success(request, f"已保存指标 {indicator}。")
            return redirect("schemes:indicators", scheme.pk)
    return render(
        request,
        "schemes/indicator_form.html",
        {"form": form, "scheme": scheme, "title": f"修改指标 {indicator}"},
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
        messages.success(request, f"已删除指标 {indicator.code}。")
    return redirect("schemes:indicators", scheme.pk)


# --- subjects ---------------------------------------------------------------------------


@login_required
def subject_list(request, pk):
    scheme = access.access_scheme(request.user, pk)
    manage = access.can_manage_scheme(request.user, scheme)
    enrolled = scheme.subjects.values("unit")
    candidates = (
        Unit.objects.filter(path__startswith=scheme.owner_unit.path, category__isnull=False)
        .exclude(pk__in=enrolled)
        .select_related("category")
    )
    form = EnrolForm(request.POST or None, candidates=candidates) if manage else None
    if request.method == "POST":
        if not manage:
            raise Http404
        if form.is_valid():
            errors = []
            count = 0
            for unit in form.cleaned_data["units"]:
                try:
                    services.subject_enrol(scheme=scheme, unit=unit, actor=request.user)
                    count += 1
                except ValidationError as error:
                    errors.append(_error_text(error))
            if count:
                messages.success(request, f"已纳入 {count} 个考核对象。")
            for error in errors:
                messages.error(request, error)
            return redirect("schemes:subjects", scheme.pk)
    subjects = list(access.visible_subjects(request.user, scheme))
    # A "得分明细" link only where the trace page opens for this user (the same rule).
    if scheme.status in (SchemeStatus.PUBLICITY, SchemeStatus.FINAL) or manage:
        traceable = {s.pk for s in subjects}
    elif access.can_score(request.user, scheme):
        traceable = set(
            Subject.objects.filter(access.team_subject_q(request.user), scheme=scheme).values_list(
                "pk", flat=True
            )
        )
    else:
        traceable = set()
    return render(
        request,
        "schemes/subject_list.html",
        {
            "scheme": scheme,
            "subjects": subjects,
            "traceable": traceable,
            "form": form,
            "manage": manage,
            "can_score": access.can_score(request.user, scheme),
        },
    )


@login_required
@require_POST
def subject_withdraw(request, pk, subject_pk):
    scheme = access.access_scheme(request.user, pk, manage=True)
    subject = get_object_or_404(Subject, pk=subject_pk, scheme=scheme)
    try:
        services.subject_withdraw(subject=subject, actor=request.user)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, f"已将“{subject.unit}”移出考核对象。")
    return redirect("schemes:subjects", scheme.pk)


ONSITE_COMPONENT = "onsite"


@login_required
def score_entry(request, subject_pk):
    """Enter or correct every applicable leaf of one subject; all values saved together.

    The office edits every leaf; an assessment team edits only the on-site component's leaves
    (daily and satisfaction scores come from the office and its imports).
    """
    subject = access.access_subject(request.user, subject_pk, score=True)
    office = access.can_manage_scheme(request.user, subject.scheme)
    sheet = score_sheet(subject=subject)
    editable = {leaf.pk for leaf, _ in sheet if office or leaf.component.code == ONSITE_COMPONENT}
    errors: dict[int, str] = {}
    if request.method == "POST":
        changes = []
        for leaf, entry in sheet:
            if leaf.pk not in editable:
                continue
            raw = request.POST.get(f"value_{leaf.pk}", "").strip()
            note = request.POST.get(f"note_{leaf.pk}", "").strip()
            version = request.POST.get(f"version_{leaf.pk}", "")
            current = entry.value if entry else None
            value = parse_decimal(raw) if raw else None
            if raw and value is None:
                errors[leaf.pk] = f"“{raw}”不是数字。"
                continue
            if value == current and note == (entry.note if entry else ""):
                continue
            changes.append(
                services.ScoreChange(leaf, value, note, int(version) if version.isdigit() else None)
            )
        if not errors and changes:
            try:
                services.scores_save(subject=subject, changes=changes, actor=request.user)
            except services.ScoreConflict as conflict:
                messages.error(request, _error_text(conflict))
            except ValidationError as error:
                messages.error(request, "未保存，请改正以下问题：" + _error_text(error))
            else:
                messages.success(request, f"已保存 {len(changes)} 项得分。")
                return redirect("schemes:scores", subject.pk)
        elif not errors:
            messages.info(request, "没有改动。")
        else:
            messages.error(request, "未保存，请改正标红的分值。")
    posted = request.method == "POST"
    rows = [
        {
            "leaf": leaf,
            "entry": entry,
            "editable": leaf.pk in editable,
            "value": request.POST.get(f"value_{leaf.pk}", "")
            if posted and leaf.pk in editable
            else ("" if entry is None else entry.value),
            "note": request.POST.get(f"note_{leaf.pk}", "")
            if posted and leaf.pk in editable
            else ("" if entry is None else entry.note),
            "error": errors.get(leaf.pk, ""),
        }
        for leaf, entry in sheet
    ]
    return render(
        request,
        "schemes/score_entry.html",
        {"subject": subject, "scheme": subject.scheme, "rows": rows},
    )
