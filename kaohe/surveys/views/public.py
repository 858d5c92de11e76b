"""Respondent pages: no account, phone-first, anonymous.

Nothing here writes the client's address anywhere: it is used only for the cache rate limit
(hashed). The audit middleware blanks the address for these URLs (docs/surveys.md).
"""

from django.conf import settings
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from kaohe.audit.context import client_ip

from .. import protection, selectors
from ..services.submissions import (
    AlreadyReceived,
    SubmissionRefused,
    clean_answers,
    response_submit,
)
from ..services.surveys import accepts_answers, window_state

TEMPLATE = "surveys/public/answer.html"


def _state(survey, target=None) -> str:
    state = window_state(survey)
    if state == "open" and not accepts_answers(survey):
        return "closed"
    full = target is not None and survey.quota is not None and target.answers_count >= survey.quota
    if state == "open" and full:
        return "full"
    return state


def _context(survey, questions, **extra):
    values, errors = extra.get("values", {}), extra.get("errors", {})
    for question in questions:
        question.selected = values.get(f"q{question.pk}", [])
        question.error = errors.get(question.pk, "")
    return {
        "survey": survey,
        "questionnaire": survey.questionnaire,
        "questions": questions,
        "closes_at": timezone.localtime(survey.closes_at),
        "opens_at": timezone.localtime(survey.opens_at),
        **extra,
    }


def _device_cookie(request, response, survey, nonce) -> None:
    if nonce is None:
        response.set_cookie(
            protection.cookie_name(survey),
            protection.device_token_new(survey),
            max_age=protection.DEVICE_MAX_AGE,
            path="/s/",
            secure=settings.SESSION_COOKIE_SECURE,
            httponly=True,
            samesite="Lax",
        )


def _raw_answers(post) -> dict[str, list[str]]:
    return {key: post.getlist(key) for key in post if key.startswith("q")}


def _answer_page(request, survey, target, *, pick: bool, thanks_url: str):
    questions = selectors.questions_of(survey.questionnaire)
    nonce = protection.device_nonce(survey, request.COOKIES.get(protection.cookie_name(survey)))
    state = _state(survey, target)
    targets = list(survey.targets.select_related("subject__unit")) if pick else []
    code = (request.GET.get("code") or request.POST.get("code") or "").strip()[:16]
    extra = {
        "target": target,
        "pick": pick,
        "targets": targets,
        "state": state,
        "code": code,
        "needs_code": survey.invitation_only or bool(code),
        "idem": request.POST.get("idem") or protection.new_idempotency_key(),
        "values": {},
        "errors": {},
        "general": [],
    }
    status = 200
    if request.method == "POST" and state == "open":
        result = _submit(request, survey, target, questions, nonce, targets, extra)
        if result == "ok":
            return redirect(thanks_url)
        status = result
    elif request.method == "POST":
        status = 409  # outside the window (or frozen): nothing is saved
    response = render(request, TEMPLATE, _context(survey, questions, **extra), status=status)
    _device_cookie(request, response, survey, nonce)
    return response


def _submit(request, survey, target, questions, nonce, targets, extra):
    extra["values"] = _raw_answers(request.POST)
    if extra["pick"]:
        chosen = {str(t.pk): t for t in targets}.get(request.POST.get("unit", ""))
        if chosen is None:
            extra["general"] = [gettext("请选择您评价的单位。")]
            return 400
        target = extra["target"] = chosen
    if protection.rate_limited(client_ip(request), survey.pk):
        extra["general"] = [gettext("提交过于频繁，请稍后再试。")]
        return 429
    answers, errors, general = clean_answers(questions, extra["values"])
    if errors or general:
        extra["errors"], extra["general"] = errors, general
        return 400
    try:
        response_submit(
            target=target,
            answers=answers,
            idempotency_key=request.POST.get("idem", ""),
            device_nonce=nonce,
            code=extra["code"],
        )
    except AlreadyReceived:
        return "ok"
    except SubmissionRefused as exc:
        extra["general"] = exc.messages
        return 409
    return "ok"


@never_cache
@require_http_methods(["GET", "POST"])
def answer(request, token):
    target = selectors.public_target(token)
    return _answer_page(
        request,
        target.survey,
        target,
        pick=False,
        thanks_url=f"/s/{token}/thanks/",
    )


@never_cache
@require_http_methods(["GET", "POST"])
def pick(request, token):
    survey = selectors.public_survey(token)
    return _answer_page(request, survey, None, pick=True, thanks_url=f"/s/u/{token}/thanks/")


@never_cache
def thanks(request, token):
    target = selectors.public_target(token)
    return render(request, "surveys/public/thanks.html", {"survey": target.survey})


@never_cache
def pick_thanks(request, token):
    survey = selectors.public_survey(token)
    return render(request, "surveys/public/thanks.html", {"survey": survey})
