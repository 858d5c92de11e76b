"""Team pages of a sitting: start from a draw, draw the paper, open, board, slips, close, score."""

from __future__ import annotations

import io

import qrcode
import qrcode.image.svg
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import selectors
from ..choices import ExamKind, SittingMode, SittingStatus
from ..services import marking, sittings
from ..services.attempts import expire_if_overdue
from .common import flash_error


@login_required
def sitting_new(request, pk):
    draw = selectors.sitting_for_draw(request.user, pk)
    exams = list(selectors.scheme_exams(draw.scheme))
    if request.method == "POST":
        exam = next((e for e in exams if str(e.pk) == request.POST.get("exam")), None)
        try:
            if exam is None:
                raise ValidationError(_("请选择测试。"))
            sitting = sittings.sitting_create(
                exam=exam, draw=draw, mode=request.POST.get("mode", ""), actor=request.user
            )
        except ValidationError as exc:
            flash_error(request, exc)
        else:
            messages.success(request, _("考试场次已建立，请公布随机种子并抽取试题。"))
            return redirect("exams:sitting", sitting.pk)
    default_kind = ExamKind.ORAL if draw.preset == "leaders" else ExamKind.WRITTEN
    return render(
        request,
        "exams/sitting_new.html",
        {"draw": draw, "exams": exams, "default_kind": default_kind, "modes": SittingMode.choices},
    )


@login_required
def sitting_detail(request, pk):
    sitting = selectors.access_sitting(request.user, pk)
    verification = sittings.sitting_verify(sitting) if request.GET.get("verify") else None
    return render(
        request,
        "exams/sitting.html",
        {
            "sitting": sitting,
            "Status": SittingStatus,
            "examinees": sitting.examinees.all(),
            "paper": sittings.paper_items(sitting),
            "verification": verification,
            "lines": sitting.exam.lines.select_related("topic"),
            "summary": _summary(sitting),
        },
    )


def _summary(sitting):
    """Average, pass rate and the distribution chart once papers are in."""
    from ..reports import unit_summary

    if sitting.status not in (SittingStatus.CLOSED, SittingStatus.MARKED):
        return None
    summary = unit_summary(sitting)
    summary["chart"] = {
        "name": _("人数"),
        "x": list(summary["distribution"]),
        "y": list(summary["distribution"].values()),
    }
    return summary


def _post_action(request, pk, action, success: str):
    sitting = selectors.access_sitting(request.user, pk)
    try:
        action(sitting)
    except ValidationError as exc:
        flash_error(request, exc)
    else:
        messages.success(request, success)
    return redirect("exams:sitting", sitting.pk)


@login_required
@require_POST
def sitting_draw(request, pk):
    seed = request.POST.get("seed", "").strip() if request.POST.get("action") == "typed" else None
    return _post_action(
        request,
        pk,
        lambda s: sittings.sitting_draw_paper(sitting=s, seed=seed, actor=request.user),
        _("试题已抽取。"),
    )


@login_required
@require_POST
def sitting_open(request, pk):
    return _post_action(
        request, pk, lambda s: sittings.sitting_open(sitting=s, actor=request.user), _("已开考。")
    )


@login_required
@require_POST
def sitting_close(request, pk):
    return _post_action(
        request, pk, lambda s: marking.sitting_close(sitting=s, actor=request.user), _("已收卷。")
    )


@login_required
@require_POST
def sitting_score(request, pk):
    return _post_action(
        request,
        pk,
        lambda s: marking.sitting_score(sitting=s, actor=request.user),
        _("单位成绩已计入指标得分。"),
    )


@login_required
@require_POST
def sitting_cancel(request, pk):
    return _post_action(
        request,
        pk,
        lambda s: sittings.sitting_cancel(
            sitting=s, reason=request.POST.get("reason", ""), actor=request.user
        ),
        _("场次已作废。"),
    )


@login_required
@require_POST
def examinee_code(request, pk):
    examinee = selectors.access_examinee(request.user, pk)
    try:
        sittings.examinee_reissue_code(examinee=examinee, actor=request.user)
    except ValidationError as exc:
        flash_error(request, exc)
    else:
        messages.success(
            request, _("已为 %(name)s 补发验证码，旧验证码已失效。") % {"name": examinee.name}
        )
    return redirect("exams:slips", examinee.sitting_id)


@login_required
@require_POST
def examinee_absent(request, pk):
    examinee = selectors.access_examinee(request.user, pk)
    try:
        marking.examinee_mark_absent(examinee=examinee, actor=request.user)
    except ValidationError as exc:
        flash_error(request, exc)
    else:
        messages.success(request, _("%(name)s 已记为缺考（计 0 分）。") % {"name": examinee.name})
    return redirect("exams:sitting", examinee.sitting_id)


@login_required
def board(request, pk):
    """Live board: who has started, how far, who has submitted (htmx refreshes the table)."""
    sitting = selectors.access_sitting(request.user, pk)
    examinees = list(sitting.examinees.all())
    for examinee in examinees:
        if expire_if_overdue(examinee):
            examinee.refresh_from_db()
    answered = {row["examinee_id"]: row["n"] for row in _answered_counts(sitting)}
    total = len(sittings.paper_items(sitting))
    rows = [(e, answered.get(e.pk, 0)) for e in examinees]
    template = "exams/_board_rows.html" if request.headers.get("HX-Request") else "exams/board.html"
    return render(request, template, {"sitting": sitting, "rows": rows, "total": total})


def _answered_counts(sitting):
    from django.db.models import Count, Q

    from ..models import Answer

    return (
        Answer.objects.filter(examinee__sitting=sitting)
        .exclude(Q(response="") | Q(response=[]))
        .values("examinee_id")
        .annotate(n=Count("id"))
    )


def qr_svg(text: str) -> str:
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=2)
    buffer = io.BytesIO()
    image.save(buffer)
    svg = buffer.getvalue().decode("utf-8")
    return svg[svg.index("<svg") :]


@login_required
def slips(request, pk):
    """Printable slips: name, code and a QR code opening the code page with the code filled."""
    sitting = selectors.access_sitting(request.user, pk)
    base = request.build_absolute_uri(reverse("exams:take_start"))
    items = [
        (e, mark_safe(qr_svg(f"{base}?c={e.code}")))  # noqa: S308 — SVG made by qrcode from our URL
        for e in sitting.examinees.all()
    ]
    return render(request, "exams/slips.html", {"sitting": sitting, "items": items, "base": base})


@login_required
def leaf_sitting(request, subject_pk, indicator_pk):
    """From a leaf score made by a test to the sitting that made it (the trace goes on to
    each marked paper); without one yet, the scheme's tests page."""
    subject = selectors.access_work_subject(request.user, subject_pk)
    sitting = (
        selectors.sittings(request.user, subject.scheme)
        .filter(subject=subject, exam__indicator_id=indicator_pk, status=SittingStatus.MARKED)
        .order_by("-updated_at")
        .first()
    )
    if sitting is None:
        return redirect("exams:scheme", subject.scheme_id)
    return redirect("exams:sitting", sitting.pk)
