"""Surveys in English: the questionnaire file stays in its Chinese format whatever the page's
language (it is read back), and lists and form errors are joined in the page's language."""

import pytest
from django.utils import translation

from kaohe.common.text import join_list, join_sentences
from kaohe.surveys import sheets
from kaohe.surveys.factories import make_setup
from kaohe.surveys.forms import InvitationForm
from kaohe.surveys.services import questionnaires as qs
from kaohe.surveys.views.common import form_errors

pytestmark = pytest.mark.django_db


def test_xlsx_exported_from_an_english_page_reads_back_anywhere():
    setup = make_setup()
    with translation.override("en"):
        data = sheets.export_questionnaire(setup.questionnaire, qs.specs_of(setup.questionnaire))
        header, specs = sheets.read_questionnaire("q.xlsx", data)
    assert header["kind"] == "hall" and specs == qs.specs_of(setup.questionnaire)
    assert sheets.read_questionnaire("问卷.xlsx", data)[1] == specs  # and on a Chinese page


def test_joins_and_form_errors_follow_the_language():
    assert join_list(["甲", "乙"]) == "甲、乙" and join_sentences(["甲。", "乙。"]) == "甲。；乙。"
    setup = make_setup()
    with translation.override("en"):
        assert join_list(["A", "B"]) == "A, B" and join_sentences(["A.", "B."]) == "A.; B."
        form = InvitationForm({"count": "0"}, survey=setup.survey)
        assert not form.is_valid()
        assert form_errors(form) == ["Number: Ensure this value is greater than or equal to 1."]
    form = InvitationForm({"count": "0"}, survey=setup.survey)
    form.is_valid()
    assert form_errors(form)[0].startswith("数量：")
