"""Questionnaires: questions, copy from last year, .xlsx round trip and refusals."""

from decimal import Decimal
from io import BytesIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from openpyxl import load_workbook

from kaohe.audit.models import AuditEvent
from kaohe.common.testing import make_user
from kaohe.surveys import sheets
from kaohe.surveys.choices import QuestionKind
from kaohe.surveys.factories import make_setup, rating_spec
from kaohe.surveys.models import Questionnaire
from kaohe.surveys.services import questionnaires as qs

pytestmark = pytest.mark.django_db


def test_rating_question_needs_points_on_every_label():
    setup = make_setup()
    spec = rating_spec("态度")
    spec.choices[1] = ("满意", None)
    with pytest.raises(ValidationError, match="满意"):
        qs.question_save(questionnaire=setup.questionnaire, spec=spec, actor=setup.office)


def test_only_the_office_edits_questionnaires():
    setup = make_setup()
    stranger = make_user("stranger")
    with pytest.raises(PermissionDenied):
        qs.question_save(questionnaire=setup.questionnaire, spec=rating_spec(), actor=stranger)


def test_points_are_editable_until_answers_exist():
    setup = make_setup()
    spec = rating_spec()
    spec.choices = [("很好", Decimal("5")), ("不好", Decimal("0"))]
    saved = qs.question_save(
        questionnaire=setup.questionnaire, spec=spec, actor=setup.office, question=setup.rating
    )
    assert [(c.label, c.points) for c in saved.choices.all()] == spec.choices
    assert AuditEvent.objects.filter(action="surveys.question.save").exists()


def test_copy_from_last_year_keeps_questions_and_points():
    setup = make_setup("y2020")
    next_year = make_setup("y2021")
    from kaohe.accounts.services import role_assign

    role_assign(user=setup.office, role="office_admin", unit=next_year.scheme.owner_unit)
    copy = qs.questionnaire_copy(
        source=setup.questionnaire, scheme=next_year.scheme, actor=setup.office
    )
    assert copy.copied_from == setup.questionnaire
    assert qs.specs_of(copy) == qs.specs_of(setup.questionnaire)


def test_xlsx_round_trip():
    setup = make_setup()
    data = sheets.export_questionnaire(setup.questionnaire, qs.specs_of(setup.questionnaire))
    header, specs = sheets.read_questionnaire("问卷.xlsx", data)
    assert header["title"] == "满意度问卷" and header["kind"] == "hall"
    assert specs == qs.specs_of(setup.questionnaire)
    imported = qs.questionnaire_import(
        scheme=setup.scheme, header=header, specs=specs, actor=setup.office
    )
    assert imported.questions.count() == 3


def _edited(data: bytes, edit) -> bytes:
    workbook = load_workbook(BytesIO(data))
    edit(workbook["题目"])
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_xlsx_rating_without_points_is_refused_naming_sheet_row_column():
    setup = make_setup()
    data = sheets.export_questionnaire(setup.questionnaire, qs.specs_of(setup.questionnaire))
    broken = _edited(data, lambda ws: setattr(ws.cell(row=4, column=6), "value", None))
    before = Questionnaire.objects.count()
    with pytest.raises(sheets.ImportFailed) as failure:
        sheets.read_questionnaire("问卷.xlsx", broken)
    text = "\n".join(failure.value.messages)
    assert "工作表“题目” 第 4 行“分值”列" in text and "基本满意" in text
    assert Questionnaire.objects.count() == before


def test_xlsx_bad_kind_and_points_all_reported():
    setup = make_setup()
    data = sheets.export_questionnaire(setup.questionnaire, qs.specs_of(setup.questionnaire))

    def edit(ws):
        ws.cell(row=2, column=2, value="打分")
        ws.cell(row=8, column=6, value="很多")

    with pytest.raises(sheets.ImportFailed) as failure:
        sheets.read_questionnaire("问卷.xlsx", _edited(data, edit))
    text = "\n".join(failure.value.messages)
    assert "第 2 行“题型”列" in text and "第 8 行“分值”列" in text


def test_not_an_xlsx_is_refused():
    with pytest.raises(sheets.ImportFailed):
        sheets.read_questionnaire("问卷.xlsx", b"not a workbook")


def test_demo_questionnaires_are_complete():
    from kaohe.surveys.demo import FORUM_QUESTIONS, HALL_QUESTIONS

    for spec in FORUM_QUESTIONS + HALL_QUESTIONS:
        assert qs.check_question(spec) == [], spec.text
    assert sum(s.kind == QuestionKind.RATING for s in FORUM_QUESTIONS) >= 5


def test_move_question_up_and_down_even_after_answers():
    from kaohe.surveys.services.submissions import CleanAnswer, response_team_enter

    setup = make_setup()
    response_team_enter(
        target=setup.target,
        answers=[
            CleanAnswer(setup.rating.pk, setup.rating.choices.first().pk),
            CleanAnswer(setup.single.pk, setup.single.choices.first().pk),
        ],
        channel="paper",
        actor=setup.office,
    )
    qs.question_move(question=setup.text, up=True, actor=setup.office)
    order = list(setup.questionnaire.questions.order_by("order").values_list("text", flat=True))
    assert order == ["总体满意度", "意见建议", "办理事项"]
    qs.question_move(question=setup.rating, up=True, actor=setup.office)  # already first
    qs.question_move(question=setup.rating, up=False, actor=setup.office)
    order = list(setup.questionnaire.questions.order_by("order").values_list("text", flat=True))
    assert order == ["意见建议", "总体满意度", "办理事项"]
