"""Subject page, checklists, case-file review, filing checks, deductions and evidence."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from kaohe.schemes.choices import ComponentCode
from kaohe.schemes.models import Indicator, ScoreEntry

from .. import marks, selectors
from ..choices import CheckResult
from ..models import CaseReview, CaseSheet, Checklist, ChecklistFill, Deduction, FilingCheck
from ..services import checklists as checklist_services
from ..services import deductions as deduction_services
from ..services import reviews as review_services
from .common import flash_error, parse_date, parse_decimal, require


def _onsite_leaves(subject):
    leaves = (
        Indicator.objects.filter(
            scheme=subject.scheme, component__code=ComponentCode.ON_SITE, children__isnull=True
        )
        .applying_to(subject)
        .select_related("checklist", "case_sheet")
        .order_by("code")
    )
    return list(leaves)


def _leaf_or_404(subject, indicator_id) -> Indicator:
    leaf = next((i for i in _onsite_leaves(subject) if i.pk == indicator_id), None)
    require(leaf is not None, _("指标"))
    return leaf


@login_required
def subject_detail(request, pk):
    subject = selectors.access_onsite_subject(request.user, pk)
    work = selectors.can_work_on(request.user, subject)
    visit = getattr(subject, "visit", None)
    context = {
        "subject": subject,
        "scheme": subject.scheme,
        "work": work,
        "visit": visit,
        "draws": subject.draws.select_related("drawn_by")
        if work
        else subject.draws.filter(status="done"),
        "deductions": selectors.visible_deductions(request.user, subject).prefetch_related(
            "evidence"
        ),
        "published": subject.scheme.results_published,
    }
    if work:
        leaves = _onsite_leaves(subject)
        scores = {
            e.indicator_id: e
            for e in ScoreEntry.objects.filter(subject=subject, indicator__in=leaves)
        }
        context["leaves"] = [
            {
                "leaf": leaf,
                "entry": scores.get(leaf.pk),
                "checklist": getattr(leaf, "checklist", None),
                "case_sheet": getattr(leaf, "case_sheet", None),
                "filing": "备案" in leaf.name and leaf.method in marks.FRACTION_METHODS,
                "penalty": leaf.method == "penalty",
            }
            for leaf in leaves
        ]
    return render(request, "onsite/subject.html", context)


def _credit(request, item) -> Decimal | None:
    """部分符合: points earned (items with points) or a percentage, as a fraction of the item."""
    raw = (request.POST.get(f"credit-{item.pk}") or "").strip()
    try:
        value = Decimal(raw)
    except (InvalidOperation, ValueError):
        return None
    if item.points:
        return value / item.points
    return value / 100


def _current_entry(subject, leaf):
    return (
        ScoreEntry.objects.filter(subject=subject, indicator=leaf)
        .select_related("entered_by")
        .first()
    )


def _say_before_after(request, leaf, before, after) -> None:
    old = f"{before.value:.2f}" if before else _("未评分")
    messages.success(
        request,
        _("检查结果已保存。%(code)s %(name)s 得分：%(old)s → %(new)s。")
        % {"code": leaf.code, "name": leaf.name, "old": old, "new": f"{after.value:.2f}"},
    )


@login_required
def checklist_fill(request, pk, indicator_id):
    subject = selectors.access_onsite_subject(request.user, pk, work=True)
    leaf = _leaf_or_404(subject, indicator_id)
    checklist = Checklist.objects.filter(indicator=leaf).first()
    require(checklist is not None, _("检查清单"))
    target = (request.POST.get("target") or request.GET.get("target") or "").strip()
    items = list(checklist.items.all())
    before = _current_entry(subject, leaf)
    replace = None
    if request.method == "POST":
        answers = {
            i.pk: (
                request.POST.get(f"item-{i.pk}", ""),
                request.POST.get(f"note-{i.pk}", ""),
                _credit(request, i),
            )
            for i in items
        }
        try:
            checklist_services.checklist_fill_save(
                checklist=checklist,
                subject=subject,
                answers=answers,
                target=target,
                files=request.FILES.getlist("photos"),
                actor=request.user,
                confirm_replace=request.POST.get("confirm_replace") == "1",
            )
            _say_before_after(request, leaf, before, _current_entry(subject, leaf))
            return redirect("onsite:subject", subject.pk)
        except checklist_services.ScoreReplaceNeeded as exc:
            replace = exc
        except ValidationError as exc:
            flash_error(request, exc)
    fill = ChecklistFill.objects.filter(
        checklist=checklist, subject=subject, target=target if checklist.per_target else ""
    ).first()
    previous = {a.item_id: a for a in fill.answers.all()} if fill else {}
    return render(
        request,
        "onsite/checklist_fill.html",
        {
            "subject": subject,
            "leaf": leaf,
            "checklist": checklist,
            "rows": [_row(request, i, previous.get(i.pk)) for i in items],
            "target": target,
            "fills": ChecklistFill.objects.filter(
                checklist=checklist, subject=subject
            ).prefetch_related("evidence"),
            "results": CheckResult.choices,
            "targets": _drawn_targets(subject) if checklist.per_target else [],
            "before": before,
            "replace": replace,
        },
    )


def _row(request, item, answer) -> dict:
    credit = request.POST.get(f"credit-{item.pk}")
    if credit is None and answer is not None and answer.credit is not None:
        credit = answer.credit * (item.points or 100)
        credit = f"{credit.normalize():f}"
    return {
        "item": item,
        "result": request.POST.get(f"item-{item.pk}") or (answer.result if answer else ""),
        "note": request.POST.get(f"note-{item.pk}") or (answer.note if answer else ""),
        "credit": credit or "",
    }


@login_required
def case_reviews(request, pk, indicator_id):
    subject = selectors.access_onsite_subject(request.user, pk, work=True)
    leaf = _leaf_or_404(subject, indicator_id)
    sheet = CaseSheet.objects.filter(indicator=leaf).first()
    require(sheet is not None, _("评查标准"))
    if request.method == "POST":
        try:
            review_services.case_review_save(
                sheet=sheet,
                subject=subject,
                file_label=request.POST.get("file_label", ""),
                failed_ids=[i for i in request.POST.getlist("failed") if i.isdigit()],
                note=request.POST.get("note", ""),
                actor=request.user,
            )
            messages.success(request, _("评查结果已保存，指标得分已更新。"))
            return redirect("onsite:case_reviews", subject.pk, leaf.pk)
        except ValidationError as exc:
            flash_error(request, exc)
    reviews = CaseReview.objects.filter(sheet=sheet, subject=subject).prefetch_related("failed")
    drawn = [
        m
        for d in subject.draws.filter(status="done", preset="reconsideration")
        for m in _selected(d)
    ]
    return render(
        request,
        "onsite/case_reviews.html",
        {
            "subject": subject,
            "leaf": leaf,
            "sheet": sheet,
            "criteria": sheet.criteria.all(),
            "reviews": reviews,
            "average": marks.mean(r.score for r in reviews),
            "drawn": drawn,
            "entry": ScoreEntry.objects.filter(subject=subject, indicator=leaf).first(),
        },
    )


def _drawn_targets(subject) -> list[str]:
    """Departments drawn for this subject (names, or the groups of a per-group draw)."""
    names: list[str] = []
    for draw in subject.draws.filter(status="done", preset__in=["departments", "complaints"]):
        for member in _selected(draw):
            name = member["group"] or member["label"]
            if name not in names:
                names.append(name)
    return names


def _selected(draw):
    from ..services.draws import draw_selected

    return draw_selected(draw)


FILING_BOOLS = ["has_report", "has_review_form", "has_decision", "form_proper"]
FILING_DATES = {
    "decision_date": gettext_lazy("处罚决定日期"),
    "filing_date": gettext_lazy("报送备案日期"),
    "received_date": gettext_lazy("收到备案材料日期"),
    "reviewed_date": gettext_lazy("审查完成日期"),
}


@login_required
def filing_checks(request, pk, indicator_id):
    subject = selectors.access_onsite_subject(request.user, pk, work=True)
    leaf = _leaf_or_404(subject, indicator_id)
    if request.method == "POST":
        try:
            data = {name: request.POST.get(name) == "on" for name in FILING_BOOLS}
            for name, label in FILING_DATES.items():
                data[name] = parse_date(request.POST.get(name), label)
            data["note"] = request.POST.get("note", "")[:255]
            review_services.filing_check_save(
                indicator=leaf,
                subject=subject,
                record_label=request.POST.get("record_label", ""),
                data=data,
                actor=request.user,
            )
            messages.success(request, _("备案材料检查结果已保存，指标得分已更新。"))
            return redirect("onsite:filing_checks", subject.pk, leaf.pk)
        except ValidationError as exc:
            flash_error(request, exc)
    checks = [
        {"check": c, "breaches": marks.filing_breaches(review_services.filing_facts(c))}
        for c in FilingCheck.objects.filter(indicator=leaf, subject=subject)
    ]
    drawn = [m for d in subject.draws.filter(status="done", preset="filings") for m in _selected(d)]
    return render(
        request,
        "onsite/filing_checks.html",
        {
            "subject": subject,
            "leaf": leaf,
            "checks": checks,
            "drawn": drawn,
            "dates": FILING_DATES,
            "entry": ScoreEntry.objects.filter(subject=subject, indicator=leaf).first(),
            "filing_days": marks.FILING_DAYS,
            "review_days": marks.REVIEW_DAYS,
        },
    )


@login_required
def deductions(request, pk):
    subject = selectors.access_onsite_subject(request.user, pk, work=True)
    leaves = list(deduction_services.penalty_leaves(subject.scheme))
    if request.method == "POST":
        leaf = next((i for i in leaves if str(i.pk) == request.POST.get("indicator")), None)
        try:
            if leaf is None:
                raise ValidationError(_("请选择扣分项指标。"))
            points = parse_decimal(request.POST.get("points"), _("扣分"))
            if points is None:
                raise ValidationError(_("请填写扣分。"))
            deduction_services.deduction_record(
                subject=subject,
                indicator=leaf,
                points=points,
                reason=request.POST.get("reason", ""),
                found_on=parse_date(request.POST.get("found_on"), _("暗访日期")),
                files=request.FILES.getlist("files"),
                actor=request.user,
            )
            messages.success(request, _("扣分已记录，扣分项得分已更新。"))
            return redirect("onsite:deductions", subject.pk)
        except ValidationError as exc:
            flash_error(request, exc)
    return render(
        request,
        "onsite/deductions.html",
        {
            "subject": subject,
            "leaves": leaves,
            "deductions": Deduction.objects.filter(subject=subject)
            .select_related("indicator", "recorded_by")
            .prefetch_related("evidence"),
            "cap": subject.scheme.penalty_cap,
        },
    )


@login_required
@require_POST
def deduction_withdraw(request, pk):
    deduction = Deduction.objects.select_related("subject").filter(pk=pk).first()
    require(deduction is not None, _("扣分记录"))
    selectors.access_onsite_subject(request.user, deduction.subject_id, work=True)
    try:
        deduction_services.deduction_withdraw(
            deduction=deduction, reason=request.POST.get("reason", ""), actor=request.user
        )
        messages.success(request, _("扣分已撤销。"))
    except ValidationError as exc:
        flash_error(request, exc)
    return redirect("onsite:deductions", deduction.subject_id)


@login_required
def evidence_download(request, pk):
    evidence = selectors.access_evidence(request.user, pk)
    handle = default_storage.open(evidence.file.name, "rb")
    response = FileResponse(
        handle, as_attachment=True, filename=evidence.original_name, content_type=evidence.mime
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
