"""Office pages: the scheme's survey home, questionnaires, questions, import/export, preview."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kaohe.common.excel import XLSX_TYPE, attachment

from .. import selectors, sheets
from ..forms import QuestionForm, QuestionnaireForm, choices_text
from ..models import Question
from ..services import questionnaires as qs
from .common import flash, form_errors, int_or_zero, office_scheme


@login_required
def scheme_home(request, scheme_id):
    scheme = office_scheme(request.user, scheme_id)
    return render(
        request,
        "surveys/scheme_home.html",
        {
            "scheme": scheme,
            "questionnaires": selectors.questionnaires_for(request.user, scheme),
            "surveys": selectors.surveys_for(request.user, scheme),
            "forums": selectors.forums_for(request.user, scheme),
            "sources": selectors.copy_sources(request.user, scheme)[:50],
            "form": QuestionnaireForm(),
        },
    )


@login_required
@require_POST
def questionnaire_new(request, scheme_id):
    scheme = office_scheme(request.user, scheme_id)
    form = QuestionnaireForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写问卷标题和类型。"))
        return redirect("surveys:scheme", scheme_id=scheme.pk)
    questionnaire = qs.questionnaire_create(scheme=scheme, actor=request.user, **form.cleaned_data)
    return redirect("surveys:questionnaire", pk=questionnaire.pk)


@login_required
@require_POST
def questionnaire_copy(request, scheme_id):
    scheme = office_scheme(request.user, scheme_id)
    source = get_object_or_404(
        selectors.copy_sources(request.user, scheme), pk=int_or_zero(request.POST.get("source"))
    )
    copy = qs.questionnaire_copy(source=source, scheme=scheme, actor=request.user)
    messages.success(
        request,
        _("已从 %(year)s 年度复制问卷“%(title)s”。")
        % {"year": source.scheme.year, "title": copy.title},
    )
    return redirect("surveys:questionnaire", pk=copy.pk)


def _read_upload(request):
    upload = request.FILES.get("file")
    if upload is None:
        raise sheets.ImportFailed([_("请选择 .xlsx 文件。")])
    return upload.name, upload.read()


@login_required
@require_POST
def questionnaire_import(request, scheme_id):
    """A new questionnaire from an .xlsx (all or nothing)."""
    scheme = office_scheme(request.user, scheme_id)
    try:
        name, data = _read_upload(request)
        header, specs = sheets.read_questionnaire(name, data)
    except sheets.ImportFailed as exc:
        for message in exc.messages[:30]:
            messages.error(request, message)
        return redirect("surveys:scheme", scheme_id=scheme.pk)
    try:
        questionnaire = qs.questionnaire_import(
            scheme=scheme, header=header, specs=specs, actor=request.user, filename=name
        )
    except ValidationError as exc:
        flash(request, exc)
        return redirect("surveys:scheme", scheme_id=scheme.pk)
    messages.success(
        request,
        _("已导入问卷“%(title)s”，共 %(n)s 题。") % {"title": questionnaire.title, "n": len(specs)},
    )
    return redirect("surveys:questionnaire", pk=questionnaire.pk)


@login_required
def questionnaire_detail(request, pk):
    questionnaire = selectors.access_questionnaire(request.user, pk)
    form = QuestionnaireForm(request.POST or None, instance=questionnaire)
    if request.method == "POST":
        if form.is_valid():
            qs.questionnaire_update(
                questionnaire=questionnaire, data=form.cleaned_data, actor=request.user
            )
            messages.success(request, _("问卷信息已保存。"))
            return redirect("surveys:questionnaire", pk=pk)
        questionnaire.refresh_from_db()
    questions = selectors.questions_of(questionnaire)
    for question in questions:
        question.choices_text = choices_text(question)
    return render(
        request,
        "surveys/questionnaire.html",
        {
            "questionnaire": questionnaire,
            "scheme": questionnaire.scheme,
            "questions": questions,
            "form": form,
            "question_form": QuestionForm(),
        },
    )


@login_required
@require_POST
def question_save(request, pk):
    """Add a question (pk = questionnaire) or, with `question`, replace one."""
    questionnaire = selectors.access_questionnaire(request.user, pk)
    question = None
    if request.POST.get("question"):
        question = get_object_or_404(
            Question, pk=int_or_zero(request.POST["question"]), questionnaire=questionnaire
        )
    form = QuestionForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(form_errors(form))
        qs.question_save(
            questionnaire=questionnaire, spec=form.spec(), actor=request.user, question=question
        )
        messages.success(request, _("题目已保存。"))
    except ValidationError as exc:
        flash(request, exc)
    return redirect("surveys:questionnaire", pk=pk)


@login_required
@require_POST
def question_delete(request, pk):
    question = get_object_or_404(Question.objects.select_related("questionnaire"), pk=pk)
    questionnaire = selectors.access_questionnaire(request.user, question.questionnaire_id)
    try:
        qs.question_delete(question=question, actor=request.user)
    except ValidationError as exc:
        flash(request, exc)
    return redirect("surveys:questionnaire", pk=questionnaire.pk)


@login_required
@require_POST
def question_move(request, pk):
    question = get_object_or_404(Question.objects.select_related("questionnaire"), pk=pk)
    questionnaire = selectors.access_questionnaire(request.user, question.questionnaire_id)
    qs.question_move(question=question, up=request.POST.get("up") == "1", actor=request.user)
    return redirect("surveys:questionnaire", pk=questionnaire.pk)


@login_required
def questionnaire_export(request, pk):
    questionnaire = selectors.access_questionnaire(request.user, pk)
    content = sheets.export_questionnaire(questionnaire, qs.specs_of(questionnaire))
    return attachment(content, f"{questionnaire.title}.xlsx", XLSX_TYPE)


@login_required
@require_POST
def questionnaire_reimport(request, pk):
    """Replace the questions from an .xlsx (refused once answers exist)."""
    questionnaire = selectors.access_questionnaire(request.user, pk)
    try:
        name, data = _read_upload(request)
        header, specs = sheets.read_questionnaire(name, data)
        qs.questionnaire_import(
            scheme=questionnaire.scheme,
            header=header,
            specs=specs,
            actor=request.user,
            into=questionnaire,
            filename=name,
        )
        messages.success(request, _("已按文件替换题目，共 %(n)s 题。") % {"n": len(specs)})
    except sheets.ImportFailed as exc:
        for message in exc.messages[:30]:
            messages.error(request, message)
    except ValidationError as exc:
        flash(request, exc)
    return redirect("surveys:questionnaire", pk=pk)


@login_required
def questionnaire_preview(request, pk):
    """The respondent's page exactly as a phone shows it, submit disabled."""
    questionnaire = selectors.access_questionnaire(request.user, pk)
    questions = selectors.questions_of(questionnaire)
    for question in questions:
        question.selected, question.error = [], ""
    return render(
        request,
        "surveys/public/answer.html",
        {
            "questionnaire": questionnaire,
            "questions": questions,
            "preview": True,
            "state": "open",
            "idem": "",
        },
    )
