"""Office pages: question banks (edit, import with a preview, export) and each scheme's exams."""

from __future__ import annotations

import secrets

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from kaohe.common.excel import XLSX_TYPE, attachment
from kaohe.common.text import join_sentences
from kaohe.schemes.models import Indicator

from .. import selectors
from ..choices import ExamKind, QuestionStatus, QuestionType
from ..exporting import bank_xlsx
from ..forms import BankForm, ExamForm, QuestionForm, criteria_text, lines_text
from ..importing import column_guide, read_file
from ..models import Exam, Topic
from ..services import bank as bank_services
from ..services.exams import DEFAULT_CRITERIA, exam_save
from ..sheets import ImportFailed
from .common import flash_error, require

PREVIEW_SECONDS = 1800


@login_required
def index(request):
    return render(
        request,
        "exams/index.html",
        {
            "schemes": selectors.exam_schemes(request.user),
            "banks": selectors.banks(request.user).select_related("owner_unit"),
            "can_manage_banks": selectors.can_manage_banks(request.user),
        },
    )


@login_required
def bank_list(request):
    require(selectors.can_manage_banks(request.user))
    form = BankForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            bank = bank_services.bank_create(
                owner_unit=request.user.unit, actor=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            flash_error(request, exc)
        else:
            return redirect("exams:bank", bank.pk)
    return render(
        request,
        "exams/banks.html",
        {"banks": selectors.banks(request.user).select_related("owner_unit"), "form": form},
    )


@login_required
def bank_detail(request, pk):
    bank = selectors.access_bank(request.user, pk)
    questions = bank.questions.prefetch_related("topics").order_by("qtype", "id")
    qtype, topic, status = (request.GET.get(k, "") for k in ("type", "topic", "status"))
    if qtype in QuestionType.values:
        questions = questions.filter(qtype=qtype)
    if topic:
        questions = questions.filter(topics__name=topic)
    if status in QuestionStatus.values:
        questions = questions.filter(status=status)
    page = Paginator(questions, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "exams/bank.html",
        {
            "bank": bank,
            "page": page,
            "types": QuestionType.choices,
            "statuses": QuestionStatus.choices,
            "topics": Topic.objects.filter(pk__in=bank.questions.values("topics")).order_by("name"),
            "filters": {"type": qtype, "topic": topic, "status": status},
        },
    )


def _question_page(request, bank, question=None):
    initial = QuestionForm.initial_for(question) if question else None
    form = QuestionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        spec = form.cleaned_data["spec"]
        try:
            if question is None:
                bank_services.question_create(bank=bank, spec=spec, actor=request.user)
            else:
                bank_services.question_update(question=question, spec=spec, actor=request.user)
        except ValidationError as exc:
            flash_error(request, exc)
        else:
            messages.success(request, _("试题已保存。"))
            return redirect("exams:bank", bank.pk)
    return render(
        request, "exams/question_form.html", {"bank": bank, "question": question, "form": form}
    )


@login_required
def question_new(request, pk):
    return _question_page(request, selectors.access_bank(request.user, pk))


@login_required
def question_edit(request, pk):
    question = selectors.access_question(request.user, pk)
    return _question_page(request, question.bank, question)


@login_required
def bank_export(request, pk):
    bank = selectors.access_bank(request.user, pk)
    return attachment(bank_xlsx(bank), f"{bank.name}.xlsx", XLSX_TYPE)


def _preview_key(request, token: str) -> str:
    return f"exams:import:{request.user.pk}:{token}"


@login_required
def bank_import(request, pk):
    """Step 1: upload → every problem, or a preview; step 2: confirm → all or nothing."""
    bank = selectors.access_bank(request.user, pk)
    context = {"bank": bank, "columns": column_guide()}
    if request.method == "POST" and request.POST.get("token"):
        stored = cache.get(_preview_key(request, request.POST["token"]))
        if stored is None:
            messages.error(request, _("预览已过期，请重新上传文件。"))
            return redirect("exams:bank_import", bank.pk)
        name, data = stored
        try:
            reading = read_file(name, data)
            reading.problems.raise_if_any()
            summary = bank_services.questions_import(
                bank=bank, specs=reading.specs, file_name=name, actor=request.user
            )
        except ImportFailed as exc:
            context["problems"] = exc.messages
        except ValidationError as exc:
            context["problems"] = exc.messages
        else:
            cache.delete(_preview_key(request, request.POST["token"]))
            messages.success(request, join_sentences(summary.lines()[:6]))
            return redirect("exams:bank", bank.pk)
    elif request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            context["problems"] = [_("请选择要导入的 .xlsx 文件。")]
        else:
            context.update(_preview(request, bank, upload.name, upload.read()))
    return render(request, "exams/bank_import.html", context)


def _preview(request, bank, name: str, data: bytes) -> dict:
    try:
        reading = read_file(name, data)
        reading.problems.raise_if_any()
    except ImportFailed as exc:
        return {"problems": exc.messages}
    duplicates = bank_services.duplicates_in_bank(bank, reading.specs)
    if duplicates:
        return {"problems": duplicates}
    token = secrets.token_urlsafe(16)
    cache.set(_preview_key(request, token), (name, data), PREVIEW_SECONDS)
    return {
        "token": token,
        "file_name": name,
        "summary": bank_services.summarise(reading.specs),
        "sample": reading.specs[:30],
    }


@login_required
def scheme_exams(request, scheme_id):
    scheme = selectors.access_exam_scheme(request.user, scheme_id)
    manage = selectors.can_manage_exams(request.user, scheme)
    leaves = (
        Indicator.objects.filter(
            scheme=scheme, children__isnull=True, method__in=["entered", "derived"]
        )
        .filter(parent__isnull=False, component__code="onsite")
        .select_related("exam")
        .order_by("code")
    )
    return render(
        request,
        "exams/scheme.html",
        {
            "scheme": scheme,
            "manage": manage,
            "exams": selectors.scheme_exams(scheme),
            "leaves": leaves if manage else [],
            "sittings": selectors.sittings(request.user, scheme)[:100],
        },
    )


@login_required
def exam_edit(request, pk):
    indicator = Indicator.objects.select_related("scheme__owner_unit").filter(pk=pk).first()
    require(
        indicator is not None and selectors.can_manage_exams(request.user, indicator.scheme),
        _("指标"),
    )
    exam = Exam.objects.filter(indicator=indicator).first()
    banks = selectors.banks(request.user)
    initial = _exam_initial(indicator, exam)
    form = ExamForm(request.POST or None, banks=banks, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            exam_save(indicator=indicator, actor=request.user, **data)
        except ValidationError as exc:
            flash_error(request, exc)
        else:
            messages.success(request, _("测试设置已保存。"))
            return redirect("exams:scheme", indicator.scheme_id)
    return render(
        request, "exams/exam_form.html", {"indicator": indicator, "exam": exam, "form": form}
    )


def _default_lines(oral: bool) -> str:
    """The starting paper rule, typed with the type names of the page's language."""
    rows = (
        [("short", 2, 50)]
        if oral
        else [
            ("single", 10, 2),
            ("multiple", 5, 4),
            ("tf", 10, 2),
            ("fill", 5, 4),
            ("short", 2, 10),
        ]
    )
    return "\n".join(f"{QuestionType(t).label},,,{n},{p}" for t, n, p in rows)


def _exam_initial(indicator, exam) -> dict:
    if exam is None:
        oral = "领导" in indicator.name
        return {
            "title": indicator.name,
            "kind": ExamKind.ORAL if oral else ExamKind.WRITTEN,
            "lines": _default_lines(oral),
            "criteria": criteria_text(DEFAULT_CRITERIA),
        }
    return {
        "bank": exam.bank_id,
        "kind": exam.kind,
        "title": exam.title,
        "time_limit_minutes": exam.time_limit_minutes,
        "pass_percent": exam.pass_percent,
        "shuffle_questions": exam.shuffle_questions,
        "shuffle_options": exam.shuffle_options,
        "multiple_policy": exam.multiple_policy,
        "unit_formula": exam.unit_formula,
        "recent_window": exam.recent_window,
        "double_marking": exam.double_marking,
        "double_gap": exam.double_gap,
        "lines": lines_text(exam),
        "criteria": criteria_text(exam.criteria or DEFAULT_CRITERIA),
    }
