"""HTTP: the team's pages and the examinee's phone pages, end to end."""

import io
import re
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from kaohe.exams.models import Answer, Examinee, Question, Sitting
from kaohe.exams.paper_engine import key_pk
from kaohe.schemes.models import ScoreEntry

pytestmark = pytest.mark.django_db


def login(user):
    client = Client()
    client.force_login(user)
    return client


def start_sitting(ew, client, mode="online"):
    response = client.post(
        reverse("exams:sitting_new", args=[ew.draw.pk]), {"exam": ew.exam.pk, "mode": mode}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    sitting = Sitting.objects.latest("pk")
    client.post(
        reverse("exams:sitting_draw", args=[sitting.pk]), {"action": "typed", "seed": "3-5-6"}
    )
    if mode == "online":
        client.post(reverse("exams:sitting_open", args=[sitting.pk]))
    sitting.refresh_from_db()
    return sitting


def test_draw_page_links_to_the_sitting(ew):
    leader = login(ew.users["leader"])
    page = leader.get(reverse("onsite:draw", args=[ew.draw.pk])).content.decode()
    assert reverse("exams:sitting_new", args=[ew.draw.pk]) in page


def test_phone_pages_never_show_the_key_and_refuse_late_saves(ew):
    leader = login(ew.users["leader"])
    sitting = start_sitting(ew, leader)
    assert sitting.status == "open" and sitting.seed == "3-5-6"
    slips = leader.get(reverse("exams:slips", args=[sitting.pk])).content.decode()
    examinee = sitting.examinees.order_by("seat").first()
    assert examinee.code in slips and "<svg" in slips

    phone = Client()
    wrong = phone.post(reverse("exams:take_start"), {"code": "ABCDEFGHJK"})
    assert wrong.status_code == 400
    assert phone.post(reverse("exams:take_start"), {"code": examinee.code}).status_code == 302
    page = phone.get(reverse("exams:take")).content.decode()
    questions = [
        Question.objects.get(pk=key_pk(i["q"])) for i in Examinee.objects.get(pk=examinee.pk).layout
    ]
    for question in questions:
        assert question.stem in page or question.stem.replace("（ ）", "（ ）") in page
        for secret in (question.explanation, question.reference_answer, question.marking_points):
            if secret:
                assert secret not in page
    assert "answer" not in re.findall(r'name="(\w+)"', page)
    single = next(q for q in questions if q.qtype == "single")
    saved = phone.post(
        reverse("exams:take_save"), {"q": f"Q{single.pk:08d}", "kind": "single", "r": single.answer}
    )
    assert saved.status_code == 200 and "已保存" in saved.content.decode()
    script = phone.post(
        reverse("exams:take_save"),
        {
            "q": f"Q{next(q for q in questions if q.qtype == 'short').pk:08d}",
            "kind": "short",
            "r": "<script>alert(1)</script>",
        },
    )
    assert script.status_code == 200
    too_long = phone.post(
        reverse("exams:take_save"), {"q": f"Q{single.pk:08d}", "kind": "short", "r": "x" * 5000}
    )
    assert too_long.status_code == 409
    phone.post(reverse("exams:take_event"), {"kind": "leave"})
    board = leader.get(
        reverse("exams:board", args=[sitting.pk]), HTTP_HX_REQUEST="true"
    ).content.decode()
    assert 'data-status="started"' in board
    assert phone.post(reverse("exams:take_submit")).status_code == 302
    late = phone.post(
        reverse("exams:take_save"), {"q": f"Q{single.pk:08d}", "kind": "single", "r": "A"}
    )
    assert late.status_code == 409
    board = leader.get(
        reverse("exams:board", args=[sitting.pk]), HTTP_HX_REQUEST="true"
    ).content.decode()
    assert 'data-status="submitted"' in board


def test_team_marks_blind_and_the_trace_reaches_each_paper(ew):
    from kaohe.exams.services import attempts

    leader = login(ew.users["leader"])
    sitting = start_sitting(ew, leader)
    examinee = attempts.code_enter(code=sitting.examinees.order_by("seat").first().code)
    short = next(i["q"] for i in examinee.layout if i["t"] == "short")
    single = Question.objects.get(
        pk=key_pk(next(i["q"] for i in examinee.layout if i["t"] == "single"))
    )
    attempts.answer_save(
        examinee=examinee, question_key=short, response="<script>alert(1)</script>"
    )
    attempts.examinee_submit(examinee=examinee)
    early = leader.get(reverse("exams:marking", args=[sitting.pk]))  # the key waits for the close
    assert early.status_code == 302 and early["Location"] == reverse(
        "exams:sitting", args=[sitting.pk]
    )
    answer = Answer.objects.get(examinee=examinee, question_id=key_pk(short))
    leader.post(reverse("exams:answer_mark", args=[answer.pk]), {"points": "5"})
    assert Answer.objects.get(pk=answer.pk).points is None
    leader.post(reverse("exams:sitting_close", args=[sitting.pk]))
    marking = leader.get(reverse("exams:marking", args=[sitting.pk])).content.decode()
    assert "&lt;script&gt;" in marking and "<script>alert" not in marking
    assert examinee.name not in marking
    for answer in Answer.objects.filter(
        examinee__sitting=sitting, question__qtype="short", examinee__status="submitted"
    ):
        assert (
            leader.post(reverse("exams:answer_mark", args=[answer.pk]), {"points": "5"}).status_code
            == 302
        )
    leader.post(reverse("exams:sitting_score", args=[sitting.pk]))
    entry = ScoreEntry.objects.get(subject=ew.subject, indicator=ew.leaf)
    assert entry.source == "exam"
    office = login(ew.users["office"])
    results = office.get(reverse("scoring:trace", args=[ew.subject.pk])).content.decode()
    leaf_url = reverse("exams:leaf", args=[ew.subject.pk, ew.leaf.pk])
    assert leaf_url in results and f"#{sitting.pk}" in results
    assert leader.get(leaf_url)["Location"] == reverse("exams:sitting", args=[sitting.pk])
    detail = leader.get(reverse("exams:sitting", args=[sitting.pk])).content.decode()
    assert reverse("exams:examinee", args=[examinee.pk]) in detail
    trace = leader.get(reverse("exams:examinee", args=[examinee.pk])).content.decode()
    assert single.stem[:20] in trace
    report = leader.get(reverse("exams:report", args=[sitting.pk]))
    assert report.status_code == 200 and report["Content-Type"].startswith(
        "application/vnd.openxml"
    )
    assert (
        leader.get(reverse("exams:paper_docx", args=[sitting.pk]) + "?part=key").status_code == 200
    )


def test_paper_sitting_typed_in(ew):
    leader = login(ew.users["leader"])
    sitting = start_sitting(ew, leader, mode="paper")
    for version in ("A", "B"):
        response = leader.get(
            reverse("exams:paper_docx", args=[sitting.pk]) + f"?version={version}"
        )
        assert response.status_code == 200
    assert (
        leader.get(reverse("exams:paper_docx", args=[sitting.pk]) + "?part=key").status_code == 404
    )
    examinee = sitting.examinees.order_by("seat").first()
    data = {}
    for item in examinee.layout:
        question = Question.objects.get(pk=key_pk(item["q"]))
        if question.qtype in ("single", "multiple"):
            data[item["q"]] = list(question.answer)
        elif question.qtype == "tf":
            data[item["q"]] = question.answer
        elif question.qtype == "fill":
            data[item["q"]] = ["15日"]
    response = leader.post(reverse("exams:paper_entry", args=[examinee.pk]), data)
    assert response.status_code == 302
    examinee.refresh_from_db()
    assert examinee.status == "submitted" and examinee.score == 70 and examinee.pending_marks == 1


def test_bank_import_preview_then_confirm_and_export(ew, tmp_path):
    from openpyxl import Workbook

    office = login(ew.users["office"])
    wb = Workbook()
    ws = wb.active
    ws.title = "试题"
    ws.append(["题型", "题干", "选项", "答案", "专题"])
    ws.append(["单项选择题", "新题一", "A.甲\nB.乙\nC.丙", "B", "行政复议法"])
    ws.append(["判断", "新题二", None, "√", None])
    ws.merge_cells("E2:E3")
    path = tmp_path / "q.xlsx"
    wb.save(path)
    url = reverse("exams:bank_import", args=[ew.bank.pk])
    with open(path, "rb") as fh:
        preview = office.post(url, {"file": fh})
    page = preview.content.decode()
    assert "预览" in page and "单选题：1" in page, re.findall(r"<li>(.*?)</li>", page)
    token = re.search(r'name="token" value="([^"]+)"', page)[1]
    assert ew.bank.questions.filter(stem="新题一").count() == 0
    assert office.post(url, {"token": token}).status_code == 302
    second = ew.bank.questions.get(stem="新题二")
    assert second.answer == "T" and [t.name for t in second.topics.all()] == ["行政复议法"]
    export = office.get(reverse("exams:bank_export", args=[ew.bank.pk]))
    assert export.status_code == 200


def test_question_edit_form(ew):
    office = login(ew.users["office"])
    question = ew.bank.questions.filter(qtype="multiple").first()
    url = reverse("exams:question_edit", args=[question.pk])
    assert office.get(url).status_code == 200
    response = office.post(
        url,
        {
            "qtype": "multiple",
            "stem": question.stem,
            "options": "甲\n乙\n丙",
            "answer": "A、C",
            "topics": "行政处罚法、行政强制法",
            "difficulty": "3",
            "status": "retired",
        },
    )
    assert response.status_code == 302
    question.refresh_from_db()
    assert (
        question.answer == "AC"
        and question.status == "retired"
        and question.options == ["甲", "乙", "丙"]
    )
    bad = office.post(
        url,
        {
            "qtype": "multiple",
            "stem": "x",
            "options": "甲\n乙",
            "answer": "AD",
            "difficulty": "2",
            "status": "active",
        },
    )
    assert bad.status_code == 200 and "答案应为已有选项的字母" in bad.content.decode()


def test_paper_sitting_absentees_count_zero_and_scheme_report(ew):
    leader = login(ew.users["leader"])
    sitting = start_sitting(ew, leader, mode="paper")
    first, *others = list(sitting.examinees.order_by("seat"))
    leader.post(reverse("exams:paper_entry", args=[first.pk]), {})  # a blank paper: 0
    for examinee in others:
        assert leader.post(reverse("exams:examinee_absent", args=[examinee.pk])).status_code == 302
    leader.post(reverse("exams:sitting_close", args=[sitting.pk]))
    short = Answer.objects.get(examinee=first, question__qtype="short")
    leader.post(reverse("exams:answer_mark", args=[short.pk]), {"points": "30"})
    leader.post(reverse("exams:sitting_score", args=[sitting.pk]))
    sitting.refresh_from_db()
    people = len(others) + 1
    assert sitting.status == "marked"
    assert ScoreEntry.objects.get(subject=ew.subject, indicator=ew.leaf).value == round(
        Decimal("10") * Decimal("30") / people / 100, 2
    )
    page = leader.get(reverse("exams:sitting", args=[sitting.pk])).content.decode()
    assert 'id="score-chart"' in page and "exams/chart.js" in page
    report = leader.get(reverse("exams:scheme_report", args=[ew.base.scheme.pk]))
    assert report.status_code == 200
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(report.content))
    assert workbook["单位"].max_row == 2 and workbook["个人"].max_row == people + 1


def test_double_marking_page_shows_each_marker_only_their_own_mark(ew):
    from kaohe.exams.services import attempts, marking

    ew.exam.double_marking = True
    ew.exam.save()
    leader = login(ew.users["leader"])
    sitting = start_sitting(ew, leader)
    examinee = attempts.code_enter(code=sitting.examinees.first().code)
    attempts.examinee_submit(examinee=examinee)
    marking.sitting_close(sitting=sitting)
    answer = Answer.objects.get(examinee=examinee, question__qtype="short")
    leader.post(reverse("exams:answer_mark", args=[answer.pk]), {"points": "23.5"})
    member = login(ew.users["member"])
    page = member.get(reverse("exams:marking", args=[sitting.pk])).content.decode()
    assert "已评 1 人" in page and "23.5" not in page
    assert "23.5" in leader.get(reverse("exams:marking", args=[sitting.pk])).content.decode()


def test_oral_rubric_page_rates_each_leader_and_prints(ew):
    from kaohe.exams.factories import make_exam
    from kaohe.exams.tests.conftest import done_draw

    make_exam(
        ew.oral_leaf, ew.bank, kind="oral", lines=[{"type": "short", "count": 1, "points": 100}]
    )
    members = [
        {"key": n, "label": n, "stratum": s}
        for n, s in (("张一", "负责同志"), ("李二", "成员"), ("王三", "成员"))
    ]
    draw = done_draw(ew.subject, preset="leaders", members=members)
    leader = login(ew.users["leader"])
    page = leader.get(reverse("onsite:draw", args=[draw.pk])).content.decode()
    assert reverse("exams:sitting_new", args=[draw.pk]) in page
    leader.post(
        reverse("exams:sitting_new", args=[draw.pk]), {"exam": ew.oral_leaf.exam.pk, "mode": "oral"}
    )
    sitting = Sitting.objects.latest("pk")
    leader.post(reverse("exams:sitting_draw", args=[sitting.pk]), {"action": "generate"})
    url = reverse("exams:oral", args=[sitting.pk])
    page = leader.get(url).content.decode()
    assert "围绕主题（30）" in page and "评分人签字" in page and "张一" in page
    for examinee in sitting.examinees.all():
        response = leader.post(
            url, {"examinee": examinee.pk, "c0": "25", "c1": "25", "c2": "15", "c3": "15"}
        )
        assert response.status_code == 302
    too_high = leader.post(url, {"examinee": sitting.examinees.first().pk, "c0": "31"}, follow=True)
    assert "0 到 30" in too_high.content.decode()
    leader.post(reverse("exams:sitting_close", args=[sitting.pk]))
    leader.post(reverse("exams:sitting_score", args=[sitting.pk]))
    assert ScoreEntry.objects.get(subject=ew.subject, indicator=ew.oral_leaf).value == Decimal(
        "8.00"
    )
