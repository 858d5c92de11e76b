"""Office set-up: checklists from requirement texts, checklist items, case criteria sheets."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from kaohe.schemes.choices import ComponentCode
from kaohe.schemes.models import Indicator

from .. import marks, selectors
from ..models import CaseSheet, Checklist
from ..services import checklists as checklist_services
from ..services import reviews as review_services
from .common import flash_error, parse_decimal, require

BASIC_WORDS = ("基本", "是", "1", "y", "yes", "basic")


def _manage_indicator(request, pk) -> Indicator:
    indicator = Indicator.objects.select_related("scheme__owner_unit").filter(pk=pk).first()
    require(indicator is not None, _("指标"))
    selectors.access_onsite_scheme(request.user, indicator.scheme_id)
    require(selectors.can_manage(request.user, indicator.scheme), _("指标"))
    return indicator


@login_required
def setup(request, scheme_id):
    scheme = selectors.access_onsite_scheme(request.user, scheme_id)
    require(selectors.can_manage(request.user, scheme))
    leaves = (
        Indicator.objects.filter(
            scheme=scheme, component__code=ComponentCode.ON_SITE, children__isnull=True
        )
        .select_related("checklist", "case_sheet")
        .order_by("code")
    )
    return render(
        request,
        "onsite/setup.html",
        {"scheme": scheme, "leaves": leaves, "fraction_methods": marks.FRACTION_METHODS},
    )


@login_required
@require_POST
def checklists_generate(request, scheme_id):
    scheme = selectors.access_onsite_scheme(request.user, scheme_id)
    require(selectors.can_manage(request.user, scheme))
    try:
        made = checklist_services.checklists_from_requirements(scheme=scheme, actor=request.user)
        messages.success(
            request, _("已根据考核要求生成 %(count)s 份检查清单。") % {"count": len(made)}
        )
    except ValidationError as exc:
        flash_error(request, exc)
    return redirect("onsite:setup", scheme.pk)


def _lines(text: str) -> list[list[str]]:
    return [[p.strip() for p in line.split("|")] for line in text.splitlines() if line.strip()]


@login_required
def checklist_edit(request, pk):
    indicator = _manage_indicator(request, pk)
    checklist = Checklist.objects.filter(indicator=indicator).first()
    if request.method == "POST":
        try:
            items = []
            for number, parts in enumerate(_lines(request.POST.get("items", "")), start=1):
                points = parse_decimal(
                    parts[1] if len(parts) > 1 else "",
                    _("第 %(number)s 行分值") % {"number": number},
                )
                items.append((parts[0], points))
            checklist_services.checklist_save(
                indicator=indicator,
                items=items,
                per_target=request.POST.get("per_target") == "on",
                actor=request.user,
            )
            messages.success(request, _("检查清单已保存。"))
            return redirect("onsite:setup", indicator.scheme_id)
        except ValidationError as exc:
            flash_error(request, exc)
    if checklist:
        text = "\n".join(
            i.text + (f" | {i.points}" if i.points is not None else "")
            for i in checklist.items.all()
        )
    else:
        text = "\n".join(checklist_services.split_requirement(indicator.requirement))
    return render(
        request,
        "onsite/checklist_edit.html",
        {
            "indicator": indicator,
            "checklist": checklist,
            "text": request.POST.get("items", text),
            "per_target": checklist.per_target if checklist else False,
        },
    )


@login_required
def case_sheet_edit(request, pk):
    indicator = _manage_indicator(request, pk)
    sheet = CaseSheet.objects.filter(indicator=indicator).first()
    if request.method == "POST":
        try:
            criteria = []
            for number, parts in enumerate(_lines(request.POST.get("criteria", "")), start=1):
                words = {*BASIC_WORDS, pgettext("case criterion", "基本").lower()}
                basic = len(parts) > 1 and parts[1].lower() in words
                points = parse_decimal(
                    parts[2] if len(parts) > 2 else "",
                    _("第 %(number)s 行扣分") % {"number": number},
                )
                criteria.append((parts[0], basic, points or Decimal("0")))
            full = parse_decimal(request.POST.get("full_score"), _("案卷满分")) or Decimal("100")
            review_services.case_sheet_save(
                indicator=indicator, criteria=criteria, full_score=full, actor=request.user
            )
            messages.success(request, _("评查标准已保存。"))
            return redirect("onsite:setup", indicator.scheme_id)
        except ValidationError as exc:
            flash_error(request, exc)
    rows = (
        [(c.text, c.is_basic, c.points) for c in sheet.criteria.all()]
        if sheet
        else review_services.DEFAULT_CRITERIA
    )
    basic, general = pgettext("case criterion", "基本"), pgettext("case criterion", "一般")
    text = "\n".join(f"{t} | {basic if b else general} | {p}" for t, b, p in rows)
    return render(
        request,
        "onsite/case_sheet_edit.html",
        {
            "indicator": indicator,
            "sheet": sheet,
            "text": request.POST.get("criteria", text),
            "full_score": sheet.full_score if sheet else Decimal("100"),
        },
    )
