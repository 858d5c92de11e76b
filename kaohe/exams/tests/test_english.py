"""The exams pages in English: whole sentences, no Chinese outside the data, and what the page
writes in English (the paper rule lines) is read back."""

import re

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation

from kaohe.exams.forms import ExamForm, QuestionForm
from kaohe.exams.models import Question
from kaohe.exams.views.bank import _default_lines

from .test_views import login, start_sitting

pytestmark = pytest.mark.django_db
CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]+")


def english_phone():
    phone = Client()
    phone.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return phone


def chinese_outside(page: str, data: list[str]) -> list[str]:
    """Chinese runs of the page's main part that are not inside any of the data texts."""
    main = page.split("<main", 1)[1].split("</main>", 1)[0]
    main = re.sub(r"<script.*?</script>", "", main, flags=re.S)
    blob = "\n".join(data)
    return sorted({run for run in CJK.findall(main) if run not in blob})


def test_phone_pages_in_english_speak_in_whole_sentences(ew):
    sitting = start_sitting(ew, login(ew.users["leader"]))
    examinee = sitting.examinees.order_by("seat").first()
    phone = english_phone()
    assert phone.post(reverse("exams:take_start"), {"code": examinee.code}).status_code == 302
    page = phone.get(reverse("exams:take")).content.decode()
    data = [examinee.name, sitting.subject.unit.name, sitting.exam.title]
    for question in Question.objects.filter(bank=ew.bank):
        data += [question.stem, *question.options]
    assert chinese_outside(page, data) == []
    assert 'placeholder="Blank 1"' in page and "第" not in re.sub(r"<form.*?</form>", "", page)
    assert 'data-offline-text="Offline' in page  # the script's words come translated
    key = re.search(r'name="q" value="([^"]+)"', page).group(1)
    saved = phone.post(reverse("exams:take_save"), {"q": key, "r": "A"})
    assert saved.content.decode().startswith("✓ Saved ")
    phone.post(reverse("exams:take_submit"))
    done = phone.get(reverse("exams:take_done")).content.decode()
    assert chinese_outside(done, [examinee.name]) == []
    assert f"{examinee.name}, your paper was submitted at " in done
    assert "(Submitted by examinee). Your answers are saved" in done


def test_paper_rules_typed_with_english_labels_are_read_back(ew):
    with translation.override("en"):
        lines = _default_lines(oral=False) + "\nTrue/false,,Hard,2,3"
        assert "Single choice,,,10,2" in lines
        form = ExamForm(
            {
                "bank": ew.bank.pk,
                "kind": "written",
                "title": "T",
                "time_limit_minutes": 40,
                "pass_percent": 60,
                "multiple_policy": "all",
                "unit_formula": "average",
                "double_gap": 20,
                "recent_window": 3,
                "lines": lines,
            },
            banks=type(ew.bank).objects.all(),
        )
        assert form.is_valid(), form.errors
    rules = form.cleaned_data["lines"]
    assert [r["type"] for r in rules] == ["single", "multiple", "tf", "fill", "short", "tf"]
    assert rules[-1]["difficulty"] == "3" and rules[0]["difficulty"] == ""


def test_true_false_answer_shown_in_english_reads_back(ew):
    question = Question.objects.filter(bank=ew.bank, qtype="tf").first()
    with translation.override("en"):
        initial = QuestionForm.initial_for(question)
        assert initial["answer"] in ("True", "False")
        form = QuestionForm({**initial, "topics": ""})
        assert form.is_valid(), form.errors
    assert form.cleaned_data["spec"].answer == question.answer


def test_word_paper_stays_chinese_when_asked_for_in_english(ew):
    import io

    from docx import Document

    leader = login(ew.users["leader"])
    sitting = start_sitting(ew, leader, mode="paper")
    leader.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = leader.get(reverse("exams:paper_docx", args=[sitting.pk]) + "?version=A")
    assert response.status_code == 200
    text = "\n".join(p.text for p in Document(io.BytesIO(response.content)).paragraphs)
    assert "单选题" in text and "Single choice" not in text


def test_bank_exported_from_an_english_page_keeps_the_importers_words(ew):
    import io

    from openpyxl import load_workbook

    office = login(ew.users["office"])
    office.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = office.get(reverse("exams:bank_export", args=[ew.bank.pk]))
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    types = {row[0] for row in rows[1:]}
    assert types <= {"单选题", "多选题", "判断题", "填空题", "简答题"} and "单选题" in types
    assert {row[-1] for row in rows[1:]} <= {"在用", "草稿", "停用"}
