"""Office pages of one survey: links, QR, posters, invitation slips, scoring; team entry."""

from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kaohe.common.excel import attachment
from kaohe.common.pdf import PdfUnavailable
from kaohe.common.text import join_list, join_sentences
from kaohe.schemes import access

from .. import documents, selectors
from ..choices import TEAM_CHANNELS, Channel
from ..forms import InvitationForm, SurveyForm, SurveyWindowForm
from ..services import scoring, submissions
from ..services import surveys as services
from .common import flash, form_errors, office_scheme


@login_required
def survey_new(request, scheme_id):
    scheme = office_scheme(request.user, scheme_id)
    form = SurveyForm(request.POST or None, scheme=scheme)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            survey = services.survey_create(scheme=scheme, actor=request.user, **data)
        except ValidationError as exc:
            flash(request, exc)
        else:
            return redirect("surveys:survey", pk=survey.pk)
    return render(request, "surveys/survey_form.html", {"scheme": scheme, "form": form})


@login_required
def survey_detail(request, pk):
    survey = selectors.access_survey(request.user, pk)
    base = documents.base_url(request)
    targets = list(survey.targets.select_related("subject__unit"))
    for target in targets:
        target.url = documents.target_url(target, base)
    preview = {}
    if survey.indicator_id:
        preview = {row.target.pk: row for row in scoring.score_preview(survey)}
    for target in targets:
        target.preview = preview.get(target.pk)
    return render(
        request,
        "surveys/survey.html",
        {
            "survey": survey,
            "scheme": survey.scheme,
            "state": services.window_state(survey),
            "targets": targets,
            "pick_url": documents.survey_url(survey, base),
            "scored": bool(preview),
            "window_form": SurveyWindowForm(instance=survey),
            "invitation_form": InvitationForm(survey=survey),
            "invitations": survey.invitations.select_related("target__subject__unit")[:500],
            "bursts": survey.bursts.select_related("target__subject__unit")[:100],
            "pdf_available": documents.pdf_available(),
        },
    )


@login_required
@require_POST
def survey_edit(request, pk):
    survey = selectors.access_survey(request.user, pk)
    form = SurveyWindowForm(request.POST, instance=selectors.access_survey(request.user, pk))
    if form.is_valid():
        try:
            services.survey_update(survey=survey, data=form.cleaned_data, actor=request.user)
            messages.success(request, _("调查设置已保存。"))
        except ValidationError as exc:
            flash(request, exc)
    else:
        messages.error(request, join_sentences(form_errors(form)))
    return redirect("surveys:survey", pk=pk)


@login_required
def target_qr(request, pk):
    target = selectors.access_target(request.user, pk)
    png = documents.qr_png(documents.target_url(target, documents.base_url(request)))
    return HttpResponse(png, content_type="image/png")


@login_required
def survey_qr(request, pk):
    survey = selectors.access_survey(request.user, pk)
    png = documents.qr_png(documents.survey_url(survey, documents.base_url(request)))
    return HttpResponse(png, content_type="image/png")


@login_required
def target_poster(request, pk):
    """The A4 counter poster: .docx, or PDF with ?format=pdf when LibreOffice is installed."""
    target = selectors.access_target(request.user, pk)
    content = documents.poster_docx(target, documents.base_url(request))
    name = f"{target.subject.unit}-{target.survey.questionnaire.title}-二维码海报"
    if request.GET.get("format") == "pdf":
        try:
            return attachment(documents.to_pdf(content), f"{name}.pdf", "application/pdf")
        except PdfUnavailable as exc:
            messages.error(request, str(exc))
            return redirect("surveys:survey", pk=target.survey_id)
    return attachment(content, f"{name}.docx", documents.DOCX_TYPE)


@login_required
@require_POST
def invitations_new(request, pk):
    survey = selectors.access_survey(request.user, pk)
    form = InvitationForm(request.POST, survey=survey)
    if not form.is_valid():
        messages.error(request, join_sentences(form_errors(form)))
        return redirect("surveys:survey", pk=pk)
    try:
        made = services.invitations_create(survey=survey, actor=request.user, **form.cleaned_data)
        messages.success(request, _("已生成 %(n)s 个邀请码。") % {"n": len(made)})
    except ValidationError as exc:
        flash(request, exc)
    return redirect("surveys:survey", pk=pk)


@login_required
def invitation_slips(request, pk):
    """Unused codes as printable slips (optionally one batch)."""
    survey = selectors.access_survey(request.user, pk)
    rows = survey.invitations.filter(used=False).select_related("target__subject__unit", "survey")
    if request.GET.get("batch"):
        rows = rows.filter(batch=request.GET["batch"])
    rows = list(rows.select_related("survey__questionnaire")[:400])
    if not rows:
        messages.error(request, _("没有未使用的邀请码。"))
        return redirect("surveys:survey", pk=pk)
    content = documents.slips_docx(rows, documents.base_url(request), survey.title)
    return attachment(content, f"{survey.title}-邀请码.docx", documents.DOCX_TYPE)


@login_required
@require_POST
def survey_score(request, pk):
    survey = selectors.access_survey(request.user, pk)
    try:
        scored, skipped = scoring.survey_score(survey=survey, actor=request.user)
    except ValidationError as exc:
        flash(request, exc)
        return redirect("surveys:survey", pk=pk)
    messages.success(
        request,
        _("已为 %(n)s 个单位写入“%(leaf)s”得分。") % {"n": len(scored), "leaf": survey.indicator},
    )
    if skipped:
        names = join_list(r.target.subject.unit for r in skipped[:20])
        if len(skipped) > 20:
            names = _("%(names)s 等") % {"names": names}
        messages.warning(
            request,
            _(
                "%(n)s 个单位答卷少于 %(min)s 份，未计分：%(names)s。"
                "请延长调查时间，或手工录入得分并说明理由。"
            )
            % {
                "n": len(skipped),
                "min": survey.min_answers,
                "names": names,
            },
        )
    return redirect("surveys:survey", pk=pk)


@login_required
@require_POST
def target_manual_score(request, pk):
    target = selectors.access_target(request.user, pk)
    try:
        value = Decimal((request.POST.get("value") or "").strip())
        scoring.survey_manual_score(
            survey=target.survey,
            target=target,
            value=value,
            note=request.POST.get("note", ""),
            actor=request.user,
        )
        messages.success(request, _("%(unit)s：已手工录入得分。") % {"unit": target.subject.unit})
    except InvalidOperation:
        messages.error(request, _("得分须为数字。"))
    except ValidationError as exc:
        flash(request, exc)
    return redirect("surveys:survey", pk=target.survey_id)


@login_required
def entry_list(request, scheme_id):
    """The subjects whose answers this user may type in (office: all; team: their own)."""
    scheme = access.access_scheme(request.user, scheme_id)
    return render(
        request,
        "surveys/entry_list.html",
        {"scheme": scheme, "targets": selectors.team_targets_for(request.user, scheme)},
    )


@login_required
def target_enter(request, pk):
    """A team member types in an interviewed person's or a paper questionnaire's answers."""
    target = selectors.access_target(request.user, pk, enter=True)
    survey = target.survey
    questions = selectors.questions_of(survey.questionnaire)
    values, errors, general = {}, {}, []
    channel = request.POST.get("channel", Channel.INTERVIEWER)
    if request.method == "POST":
        values = {k: request.POST.getlist(k) for k in request.POST if k.startswith("q")}
        answers, errors, general = submissions.clean_answers(questions, values)
        if not errors and not general:
            try:
                submissions.response_team_enter(
                    target=target, answers=answers, channel=channel, actor=request.user
                )
                messages.success(request, _("已录入一份答卷。"))
                return redirect("surveys:target_enter", pk=pk)
            except ValidationError as exc:
                general = exc.messages
    for question in questions:
        question.selected = values.get(f"q{question.pk}", [])
        question.error = errors.get(question.pk, "")
    return render(
        request,
        "surveys/enter.html",
        {
            "target": target,
            "survey": survey,
            "scheme": survey.scheme,
            "questions": questions,
            "general": general,
            "channels": [(c, Channel(c).label) for c in TEAM_CHANNELS],
            "channel": channel,
            "count": target.responses.filter(channel__in=TEAM_CHANNELS).count(),
        },
        status=400 if (errors or general) else 200,
    )
