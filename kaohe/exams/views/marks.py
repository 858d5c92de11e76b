"""Marking pages: short answers (blind), the oral rubric, typed-in paper answers, a marked
paper (the trace below the leaf score), the report and the printed paper."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kaohe.common.excel import XLSX_TYPE, attachment

from .. import selectors
from ..choices import ExamineeStatus, SittingMode, SittingStatus
from ..documents import DOCX_TYPE, paper_document
from ..models import Answer
from ..papers import paper_for, sections
from ..reports import scheme_report_xlsx, sitting_report_xlsx
from ..services import marking as marking_services
from ..services.sittings import points_by_key
from .common import flash_error, require


@login_required
def marking(request, pk):
    """Short answers of submitted papers, shown by paper number only (blind to names).
    Marking (and with it the reference answers) starts only once the papers are collected."""
    sitting = selectors.access_sitting(request.user, pk)
    if sitting.status not in (SittingStatus.CLOSED, SittingStatus.MARKED):
        messages.info(request, _("收卷后才能评分（参考答案在收卷后显示）。"))
        return redirect("exams:sitting", sitting.pk)
    answers = (
        Answer.objects.filter(
            examinee__sitting=sitting,
            examinee__status=ExamineeStatus.SUBMITTED,
            question__qtype="short",
        )
        .select_related("question", "examinee")
        .order_by("question_id", "examinee__seat")
    )
    points = points_by_key(sitting)
    double = sitting.exam.double_marking
    rows = [(a, points.get(f"Q{a.question_id:08d}")) for a in answers.prefetch_related("marks")]
    for answer, _top in rows:
        marks = list(answer.marks.all())
        mine = next((m for m in marks if m.marker_id == request.user.pk), None)
        # 双评: each marker sees and edits only their own mark, never the other's.
        answer.shown = (mine.points if mine else None) if double else answer.points
        answer.shown_note = (mine.note if mine else "") if double else answer.mark_note
        answer.mark_count = len(marks)
        answer.needs_third = double and len(marks) == 2 and answer.points is None
    return render(
        request, "exams/marking.html", {"sitting": sitting, "rows": rows, "double": double}
    )


@login_required
@require_POST
def answer_mark(request, pk):
    answer = selectors.access_answer(request.user, pk)
    try:
        marking_services.answer_mark(
            answer=answer,
            points=request.POST.get("points", ""),
            note=request.POST.get("note", ""),
            actor=request.user,
        )
    except ValidationError as exc:
        flash_error(request, exc)
    else:
        messages.success(
            request, _("卷 %(label)s 已评分。") % {"label": answer.examinee.blind_label}
        )
    if request.POST.get("back") == "examinee":
        return redirect("exams:examinee", answer.examinee_id)
    return redirect("exams:marking", answer.examinee.sitting_id)


@login_required
def examinee_detail(request, pk):
    """One marked paper: each answer as given, with its server time and mark; the events."""
    examinee = selectors.access_examinee(request.user, pk)
    sitting = examinee.sitting
    answers = {a.question_id: a for a in examinee.answers.select_related("marked_by")}
    show_key = sitting.status in (SittingStatus.CLOSED, SittingStatus.MARKED)
    items = paper_for(
        examinee.layout,
        points_by_key(sitting),
        responses={k: a.response for k, a in answers.items()},
        with_key=show_key,
    )
    rows = [(item, answers.get(int(item.key[1:]))) for item in items]
    return render(
        request,
        "exams/examinee.html",
        {
            "examinee": examinee,
            "sitting": sitting,
            "rows": rows,
            "show_key": show_key,
            "events": examinee.events.all(),
            "ratings": examinee.ratings.select_related("marker"),
        },
    )


@login_required
def oral(request, pk):
    """The rubric of the signed-in team member for each drawn leader; prints as a signature sheet."""
    sitting = selectors.access_sitting(request.user, pk)
    require(sitting.mode == SittingMode.ORAL, _("场次"))
    criteria = sitting.exam.criteria
    if request.method == "POST":
        examinee = sitting.examinees.filter(pk=request.POST.get("examinee") or 0).first()
        require(examinee is not None, _("考生"))
        scores = {
            c["name"]: request.POST.get(f"c{i}", "").strip() or "0" for i, c in enumerate(criteria)
        }
        try:
            marking_services.oral_rate(
                examinee=examinee,
                marker=request.user,
                scores=scores,
                note=request.POST.get("note", ""),
                actor=request.user,
            )
        except ValidationError as exc:
            flash_error(request, exc)
        else:
            messages.success(request, _("已保存对 %(name)s 的评分。") % {"name": examinee.name})
        return redirect("exams:oral", sitting.pk)
    examinees = list(sitting.examinees.prefetch_related("ratings__marker"))
    mine = {
        r.examinee_id: r
        for e in examinees
        for r in e.ratings.all()
        if r.marker_id == request.user.pk
    }
    items = (
        paper_for(examinees[0].layout, points_by_key(sitting), with_key=True) if examinees else []
    )
    return render(
        request,
        "exams/oral.html",
        {
            "sitting": sitting,
            "criteria": list(enumerate(criteria)),
            "rows": [(e, mine.get(e.pk)) for e in examinees],
            "questions": items,
            "full": marking_services.oral_full(sitting.exam),
        },
    )


@login_required
def paper_entry(request, pk):
    """A paper sitting: type in what the examinee wrote, question by question."""
    examinee = selectors.access_examinee(request.user, pk)
    sitting = examinee.sitting
    require(sitting.mode == SittingMode.PAPER, _("考生"))
    items = paper_for(examinee.layout, points_by_key(sitting))
    if request.method == "POST":
        responses = {}
        for item in items:
            values = request.POST.getlist(item.key)
            responses[item.key] = (
                values if item.qtype in ("multiple", "fill") else (values[0] if values else "")
            )
        try:
            marking_services.paper_answers_save(
                examinee=examinee, responses=responses, actor=request.user
            )
        except ValidationError as exc:
            flash_error(request, exc)
        else:
            messages.success(
                request,
                _("%(name)s 的答卷已录入并完成客观题评分。") % {"name": examinee.name},
            )
            return redirect("exams:sitting", sitting.pk)
    return render(
        request,
        "exams/paper_entry.html",
        {"examinee": examinee, "sitting": sitting, "sections": sections(items)},
    )


@login_required
def report(request, pk):
    sitting = selectors.access_sitting(request.user, pk)
    return attachment(
        sitting_report_xlsx(sitting),
        f"测试成绩-{sitting.subject.unit.name}-{sitting.pk}.xlsx",
        XLSX_TYPE,
    )


@login_required
def scheme_report(request, scheme_id):
    """All sittings of a scheme the user works on (office: all), per unit and per person."""
    scheme = selectors.access_exam_scheme(request.user, scheme_id)
    content = scheme_report_xlsx(selectors.result_sittings(request.user, scheme))
    return attachment(content, f"能力测试成绩-{scheme.name}.xlsx", XLSX_TYPE)


@login_required
def paper_docx(request, pk):
    """?version=A|B&part=paper|sheet|key — the key only once the sitting is closed."""
    sitting = selectors.access_sitting(request.user, pk)
    require(bool(sitting.digest), _("试卷"))
    version = "B" if request.GET.get("version") == "B" else "A"
    part = (
        request.GET.get("part") if request.GET.get("part") in ("paper", "sheet", "key") else "paper"
    )
    if part == "key":
        require(sitting.status in (SittingStatus.CLOSED, SittingStatus.MARKED), _("参考答案"))
    content = paper_document(sitting, version=version, part=part)
    names = {"paper": "试卷", "sheet": "答题卡", "key": "参考答案"}
    return attachment(content, f"{sitting.exam.title}-{names[part]}-{version}卷.docx", DOCX_TYPE)
