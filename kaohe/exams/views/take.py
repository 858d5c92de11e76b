"""The examinee's pages (no account): code → paper → answers saved one by one → submit.

The examinee is remembered in the session by id and code (a re-issued code ends the old
session). Answers and the key: pages carry only stems and options (see papers.paper_for).
"""

from __future__ import annotations

import contextlib
from datetime import timedelta

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ..choices import ExamineeStatus, SubmitReason
from ..models import Examinee
from ..papers import paper_for, sections
from ..services import attempts
from ..services.sittings import points_by_key
from .common import client_address

SESSION_KEY = "exams_examinee"


def _current(request) -> Examinee | None:
    remembered = request.session.get(SESSION_KEY) or {}
    examinee = (
        Examinee.objects.select_related("sitting__exam", "sitting__subject__unit")
        .filter(pk=remembered.get("id"), code=remembered.get("code", "-"))
        .first()
    )
    if examinee is not None:
        attempts.expire_if_overdue(examinee)
        examinee.refresh_from_db(fields=["status", "submitted_at", "submit_reason"])
    return examinee


def take_start(request):
    error = ""
    code = request.GET.get("c", "")
    if request.method == "POST":
        code = request.POST.get("code", "")
        try:
            examinee = attempts.code_enter(code=code, client=client_address(request))
        except attempts.AttemptRefused as exc:
            error = exc.messages[0]
        else:
            request.session.cycle_key()
            request.session[SESSION_KEY] = {"id": examinee.pk, "code": examinee.code}
            return redirect("exams:take")
    return render(
        request,
        "exams/take_start.html",
        {"code": code[:16], "error": error},
        status=400 if error else 200,
    )


def take(request):
    examinee = _current(request)
    if examinee is None:
        return redirect("exams:take_start")
    if examinee.status != ExamineeStatus.STARTED:
        return redirect("exams:take_done")
    responses = dict(examinee.answers.values_list("question_id", "response"))
    items = paper_for(examinee.layout, points_by_key(examinee.sitting), responses=responses)
    remaining = max(0, int((examinee.deadline - timezone.now()).total_seconds()))
    return render(
        request,
        "exams/take.html",
        {
            "examinee": examinee,
            "sitting": examinee.sitting,
            "sections": sections(items),
            "total": len(items),
            "answered": sum(1 for v in responses.values() if v not in ("", [], None)),
            "remaining": remaining,
        },
    )


def _response_from(post) -> object:
    values = post.getlist("r")
    if post.get("kind") in ("multiple", "fill"):
        return values
    return values[0] if values else ""


@require_POST
def take_save(request):
    """The hot path (every answer): the examinee comes from the session, checked under the lock."""
    remembered = request.session.get(SESSION_KEY) or {}
    if not remembered.get("id"):
        return HttpResponse(_("请重新输入验证码。"), status=403)
    try:
        answer = attempts.answer_save(
            examinee=Examinee(pk=remembered["id"]),
            code=remembered.get("code", "-"),
            question_key=request.POST.get("q", ""),
            response=_response_from(request.POST),
        )
    except attempts.AttemptRefused as exc:
        return HttpResponse(exc.messages[0], status=409)
    time = timezone.localtime(answer.saved_at).strftime("%H:%M:%S")
    return HttpResponse(
        _("✓ 已保存 %(time)s") % {"time": time}, headers={"X-Saved-At": answer.saved_at.isoformat()}
    )


@require_POST
def take_event(request):
    examinee = _current(request)
    if examinee is None:
        return HttpResponse(status=204)
    try:
        attempts.event_record(
            examinee=examinee,
            kind=request.POST.get("kind", ""),
            detail=request.POST.get("detail", "")[:100],
        )
    except attempts.AttemptRefused:
        return HttpResponse(status=400)
    return HttpResponse(status=204)


@require_POST
def take_submit(request):
    examinee = _current(request)
    if examinee is None:
        return redirect("exams:take_start")
    if examinee.status == ExamineeStatus.STARTED:
        # The page's countdown submits at zero; it counts as a time-out only near the deadline.
        near_end = examinee.deadline - timezone.now() <= timedelta(seconds=10)
        reason = (
            SubmitReason.TIMEOUT
            if request.POST.get("timeout") and near_end
            else SubmitReason.MANUAL
        )
        # Submitted meanwhile (time-out, or the team collected the papers): nothing to do.
        with contextlib.suppress(attempts.AttemptRefused):
            attempts.examinee_submit(examinee=examinee, reason=reason)
    return redirect("exams:take_done")


def take_done(request):
    examinee = _current(request)
    if examinee is None:
        return redirect("exams:take_start")
    return render(request, "exams/take_done.html", {"examinee": examinee})
