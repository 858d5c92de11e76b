"""Office pages over HTTP: survey creation, QR/poster/slips, team entry, reports, forums, CLI."""

from datetime import date, timedelta
from io import BytesIO, StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone
from openpyxl import load_workbook

from kaohe.common.testing import Role, make_user
from kaohe.rectification.models import RectificationItem
from kaohe.surveys.factories import make_setup
from kaohe.surveys.models import ForumOpinion, Invitation, Response

from .helpers import respondent, submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup():
    return make_setup()


@pytest.fixture
def office(client, setup):
    client.force_login(setup.office)
    return client


def test_create_survey_through_the_form(office, setup):
    now = timezone.localtime()
    response = office.post(
        f"/surveys/schemes/{setup.scheme.pk}/surveys/new/",
        {
            "title": "座谈会调查",
            "questionnaire": setup.questionnaire.pk,
            "indicator": setup.scheme.indicators.get(code="S1").pk,
            "mode": "per_subject",
            "opens_at": now.strftime("%Y-%m-%dT%H:%M"),
            "closes_at": (now + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M"),
            "min_answers": 3,
            "subjects": [s.pk for s in setup.subjects],
        },
    )
    assert response.status_code == 302
    survey = setup.scheme.surveys.get(title="座谈会调查")
    assert survey.targets.count() == 2
    page = office.get(response["Location"]).content.decode()
    assert survey.targets.first().token in page


def test_window_must_be_ordered(office, setup):
    now = timezone.localtime()
    office.post(
        f"/surveys/surveys/{setup.survey.pk}/edit/",
        {
            "title": "x",
            "opens_at": now.strftime("%Y-%m-%dT%H:%M"),
            "closes_at": (now - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"),
            "min_answers": 0,
        },
    )
    setup.survey.refresh_from_db()
    assert setup.survey.closes_at > setup.survey.opens_at


def test_qr_poster_and_slips(office, setup):
    png = office.get(f"/surveys/targets/{setup.target.pk}/qr.png")
    assert png["Content-Type"] == "image/png" and png.content[:8] == b"\x89PNG\r\n\x1a\n"
    poster = office.get(f"/surveys/targets/{setup.target.pk}/poster/")
    assert poster.content[:2] == b"PK"
    from docx import Document

    text = "\n".join(p.text for p in Document(BytesIO(poster.content)).paragraphs)
    assert setup.subjects[0].unit.name in text and f"/s/{setup.target.token}/" in text
    office.post(
        f"/surveys/surveys/{setup.survey.pk}/invitations/",
        {"count": 3, "target": setup.target.pk, "batch": "座谈会"},
    )
    assert Invitation.objects.filter(survey=setup.survey).count() == 3
    slips = office.get(f"/surveys/surveys/{setup.survey.pk}/slips.docx")
    document = Document(BytesIO(slips.content))
    cells = "\n".join(c.text for row in document.tables[0].rows for c in row.cells)
    for invitation in Invitation.objects.all():
        assert invitation.code in cells


def test_team_member_enters_answers_for_own_subjects_only(client, setup):
    from kaohe.onsite.services.teams import team_create, visit_assign

    member = make_user("member", role=Role.TEAM_MEMBER, unit=setup.scheme.owner_unit, subtree=True)
    team = team_create(scheme=setup.scheme, name="第一组", leader=member)
    visit_assign(team=team, subjects=[setup.subjects[0]])
    client.force_login(member)
    mine = setup.target
    other = setup.survey.targets.get(subject=setup.subjects[1])
    assert client.get(f"/surveys/targets/{other.pk}/enter/").status_code == 404
    data = {
        "channel": "interviewer",
        f"q{setup.rating.pk}": setup.rating.choices.first().pk,
        f"q{setup.single.pk}": setup.single.choices.first().pk,
    }
    assert client.post(f"/surveys/targets/{mine.pk}/enter/", data).status_code == 302
    assert Response.objects.get().channel == "interviewer"
    listing = client.get(f"/surveys/schemes/{setup.scheme.pk}/entry/").content.decode()
    assert setup.subjects[0].unit.name in listing and setup.subjects[1].unit.name not in listing


def test_report_export_and_hiding_abusive_text(office, setup):
    submit(
        respondent(),
        setup,
        data={
            f"q{setup.rating.pk}": setup.rating.choices.get(label="不满意").pk,
            f"q{setup.single.pk}": setup.single.choices.first().pk,
            f"q{setup.text.pk}": "窗口人员态度恶劣骂人话",
        },
    )
    report = office.get(f"/surveys/surveys/{setup.survey.pk}/report/").content.decode()
    assert "窗口人员态度恶劣骂人话" in report and "kaohe-chart" in report
    answer = setup.text.answers.get()
    office.post(f"/surveys/answers/{answer.pk}/hide/", {"hidden": "1"})
    answer.refresh_from_db()
    assert answer.hidden
    export = office.get(f"/surveys/surveys/{setup.survey.pk}/report/?format=xlsx")
    workbook = load_workbook(BytesIO(export.content))
    assert workbook.sheetnames == ["单位汇总", "题目分布", "意见建议"]
    assert workbook["意见建议"].max_row == 1  # hidden text left out
    summary = list(workbook["单位汇总"].iter_rows(values_only=True))
    assert summary[1][0] == setup.subjects[0].unit.name and summary[1][6] == 1


def test_forum_opinion_becomes_rectification_item(office, setup):
    response = office.post(
        f"/surveys/schemes/{setup.scheme.pk}/forums/new/",
        {
            "held_on": "2021-01-27",
            "place": "县政府三楼会议室",
            "subject": setup.subjects[0].pk,
            "attendees": "甲公司\n乙公司",
        },
    )
    forum_url = response["Location"]
    office.post(forum_url, {"text": "涉企检查过多，希望合并检查"})
    opinion = ForumOpinion.objects.get()
    office.post(
        f"/rectification/from-opinion/{opinion.pk}/",
        {"deadline": str(date(2021, 6, 30)), "subject": setup.subjects[0].pk},
    )
    item = RectificationItem.objects.get()
    opinion.refresh_from_db()
    assert opinion.rectification_item_id == item.pk and item.subject == setup.subjects[0]
    office.post(f"/rectification/from-opinion/{opinion.pk}/", {"deadline": "2021-06-30"})
    assert RectificationItem.objects.count() == 1


def test_survey_links_command_prints_links_and_writes_qr(setup, tmp_path):
    out = StringIO()
    call_command(
        "survey_links",
        scheme=setup.scheme.code,
        qr=str(tmp_path),
        base_url="https://kh.example",
        stdout=out,
    )
    text = out.getvalue()
    assert f"https://kh.example/s/{setup.target.token}/" in text
    pngs = list(tmp_path.glob("*.png"))
    assert len(pngs) == 2 and pngs[0].read_bytes()[:4] == b"\x89PNG"


def test_questionnaire_pages(office, setup):
    q = setup.questionnaire
    assert office.get(f"/surveys/questionnaires/{q.pk}/").status_code == 200
    preview = office.get(f"/surveys/questionnaires/{q.pk}/preview/").content.decode()
    assert "预览" in preview and "disabled" in preview
    export = office.get(f"/surveys/questionnaires/{q.pk}/export.xlsx")
    assert export.content[:2] == b"PK"
    office.post(
        f"/surveys/questionnaires/{q.pk}/questions/",
        {"kind": "rating", "text": "新题", "choices": "好\n差=0", "max_length": 500},
    )
    assert not q.questions.filter(text="新题").exists()  # a label without points is refused
    office.post(
        f"/surveys/questionnaires/{q.pk}/questions/",
        {
            "kind": "rating",
            "text": "新题",
            "choices": "好=5\n差=0",
            "max_length": 500,
            "required": "on",
        },
    )
    assert q.questions.filter(text="新题").exists()


def test_poster_as_pdf_when_libreoffice_is_installed(office, setup):
    from kaohe.surveys import documents

    if not documents.pdf_available():
        pytest.skip("未安装 LibreOffice（soffice），跳过海报 PDF。")
    pdf = office.get(f"/surveys/targets/{setup.target.pk}/poster/?format=pdf")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content[:5] == b"%PDF-"


def test_kaohe_survey_links_dashed_name_and_unknown_scheme(setup, monkeypatch):
    from django.core import management
    from django.core.management.base import CommandError

    from kaohe.cli import main

    seen = []
    # run_from_argv closes every database connection when it ends: record the argv instead.
    monkeypatch.setattr(management, "execute_from_command_line", seen.append)
    main(["kaohe", "survey-links", "--scheme", setup.scheme.code])
    assert seen == [["kaohe", "survey_links", "--scheme", setup.scheme.code]]
    with pytest.raises(CommandError, match="不存在"):
        call_command("survey_links", scheme="nope")


def test_score_button_warns_about_subjects_below_the_minimum(office, setup):
    setup.survey.min_answers = 1
    setup.survey.save()
    submit(respondent(), setup)
    response = office.post(f"/surveys/surveys/{setup.survey.pk}/score/", follow=True)
    text = response.content.decode()
    assert "已为 1 个单位写入" in text
    assert "1 个单位答卷少于 1 份，未计分" in text and setup.subjects[1].unit.name in text
    assert "手工录入理由" in text  # the decision is offered on the row


def test_junk_ids_in_posts_are_refused_not_errors(office, setup):
    from kaohe.surveys.models import ForumRecord

    q = setup.questionnaire
    forum = ForumRecord.objects.create(scheme=setup.scheme, held_on="2021-01-27", place="会议室")
    opinion = ForumOpinion.objects.create(forum=forum, text="意见")
    for junk in ("abc", "1e5", "99999999999999999999999", "-1"):
        assert (
            office.post(
                f"/surveys/questionnaires/{q.pk}/questions/",
                {"question": junk, "kind": "text", "text": "x", "max_length": 5},
            ).status_code
            == 404
        )
        assert (
            office.post(
                f"/surveys/schemes/{setup.scheme.pk}/questionnaires/copy/", {"source": junk}
            ).status_code
            == 404
        )
        response = office.post(
            f"/rectification/from-opinion/{opinion.pk}/",
            {"subject": junk, "deadline": "2021-06-30"},
        )
        assert response.status_code == 302
    assert not RectificationItem.objects.exists()
