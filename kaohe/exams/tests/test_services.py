"""Sittings end to end through the services: paper draw, codes, saves, time-out, marks, leaf."""

import json
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from kaohe.audit.models import AuditEvent
from kaohe.exams import audit_actions as actions
from kaohe.exams.choices import ExamineeStatus, SittingStatus
from kaohe.exams.models import Answer, Examinee, Question
from kaohe.exams.paper_engine import key_pk
from kaohe.exams.services import attempts, marking, sittings
from kaohe.schemes.models import ScoreEntry

pytestmark = pytest.mark.django_db


def open_sitting(ew, seed="12345678"):
    sitting = sittings.sitting_create(exam=ew.exam, draw=ew.draw, mode="online")
    sittings.sitting_draw_paper(sitting=sitting, seed=seed)
    return sittings.sitting_open(sitting=sitting)


def right_answer(question, examinee):
    if question.qtype in ("single", "multiple"):
        return list(question.answer)
    if question.qtype == "fill":
        return ["１５ 日"]  # full-width digits and a space: normalised to 15日
    if question.qtype == "tf":
        return question.answer
    return "依法行政要点"


def test_sitting_has_exactly_the_drawn_people_with_distinct_codes(ew):
    sitting = open_sitting(ew)
    keys = json.loads(ew.draw.result_json)
    assert [e.person_key for e in sitting.examinees.order_by("seat")] == keys
    codes = [e.code for e in sitting.examinees.all()]
    assert len(set(codes)) == len(codes) and all(len(c) == 10 for c in codes)


def test_paper_is_deterministic_and_verifiable(ew):
    one = open_sitting(ew, seed="777")
    other = sittings.sitting_create(exam=ew.exam, draw=ew.draw, mode="online")
    # The unit has now had `one`'s questions: the second paper prefers unseen ones.
    sittings.sitting_draw_paper(sitting=other, seed="777")
    first = {p["key"] for p in sittings.paper_items(one)}
    second = {p["key"] for p in sittings.paper_items(other)}
    assert len(first) == 8 and not (first & second)
    report = sittings.sitting_verify(one)
    assert report.ok, report.checks
    one.paper_json = one.paper_json.replace(sorted(first)[0], "Q99999999")
    assert not sittings.sitting_verify(one).ok


def test_short_bank_is_refused_naming_type_and_topic(ew):
    from kaohe.exams.factories import make_exam

    exam = make_exam(
        ew.oral_leaf,
        ew.bank,
        lines=[{"type": "tf", "topic": "行政许可法", "count": 5, "points": 2}],
    )
    with pytest.raises(ValidationError) as exc:
        sittings.sitting_create(exam=exam, draw=ew.draw, mode="online")
    assert (
        "判断题" in str(exc.value)
        and "行政许可法" in str(exc.value)
        and "还差 3 道" in str(exc.value)
    )


def test_codes_one_message_for_every_refusal_and_rate_limit(ew):
    sitting = open_sitting(ew)
    examinee = sitting.examinees.first()
    typed = examinee.code.lower().replace("0", "o").replace("1", "l")  # as read off a slip
    entered = attempts.code_enter(code=f"{typed[:5]} - {typed[5:]}", client="a")
    assert entered.status == ExamineeStatus.STARTED and entered.deadline
    messages = set()
    for code in ("ZZZZZZZZZZ", "short"):
        with pytest.raises(attempts.AttemptRefused) as exc:
            attempts.code_enter(code=code, client="b")
        messages.add(exc.value.messages[0])
    attempts.examinee_submit(examinee=entered)
    with pytest.raises(attempts.AttemptRefused) as exc:
        attempts.code_enter(code=examinee.code, client="b")
    messages.add(exc.value.messages[0])
    assert messages == {attempts.CODE_REFUSED}
    for _ in range(attempts.CODE_FAILURES_ALLOWED):
        with pytest.raises(attempts.AttemptRefused):
            attempts.code_enter(code="0000000000", client="c")
    other = sitting.examinees.exclude(pk=examinee.pk).first()
    with pytest.raises(attempts.AttemptRefused) as exc:
        attempts.code_enter(code=other.code, client="c")
    assert exc.value.messages[0] == attempts.CODE_THROTTLED


def test_resume_keeps_answers_and_late_saves_change_nothing(ew):
    sitting = open_sitting(ew)
    examinee = attempts.code_enter(code=sitting.examinees.first().code, client="x")
    key = examinee.layout[0]["q"]
    attempts.answer_save(examinee=examinee, question_key=key, response=["A"])
    attempts.answer_save(examinee=examinee, question_key=key, response=["B"])
    again = attempts.code_enter(code=examinee.code, client="x")  # a dropped connection
    answer = Answer.objects.get(examinee=again, question_id=key_pk(key))
    assert answer.response == "B" and answer.saves == 2
    with pytest.raises(attempts.AttemptRefused):
        attempts.answer_save(examinee=again, question_key="Q99999999", response="A")
    attempts.examinee_submit(examinee=again)
    saved = Answer.objects.get(pk=answer.pk).saved_at
    with pytest.raises(attempts.AttemptRefused):
        attempts.answer_save(examinee=again, question_key=key, response=["C"])
    answer.refresh_from_db()
    assert answer.response == "B" and answer.saved_at == saved
    assert again.events.filter(kind="refused").exists()


def test_time_out_submits_and_refuses(ew):
    sitting = open_sitting(ew)
    examinee = attempts.code_enter(code=sitting.examinees.first().code, client="x")
    key = examinee.layout[0]["q"]
    attempts.answer_save(examinee=examinee, question_key=key, response=["A"])
    Examinee.objects.filter(pk=examinee.pk).update(deadline=timezone.now() - timedelta(seconds=1))
    with pytest.raises(attempts.AttemptRefused):
        attempts.answer_save(examinee=examinee, question_key=key, response=["B"])
    examinee.refresh_from_db()
    assert examinee.status == ExamineeStatus.SUBMITTED and examinee.submit_reason == "timeout"
    assert Answer.objects.get(examinee=examinee, question_id=key_pk(key)).response == "A"


def test_marks_reach_the_leaf_and_remarking_updates_it(ew):
    sitting = open_sitting(ew)
    people = list(sitting.examinees.order_by("seat"))
    for index, person in enumerate(people[:2]):
        examinee = attempts.code_enter(code=person.code, client="x")
        for item in examinee.layout:
            question = Question.objects.get(pk=key_pk(item["q"]))
            if index == 0:
                attempts.answer_save(
                    examinee=examinee,
                    question_key=item["q"],
                    response=right_answer(question, examinee),
                )
        attempts.examinee_submit(examinee=examinee)
    marking.sitting_close(sitting=sitting)
    with pytest.raises(ValidationError):
        marking.sitting_score(sitting=sitting)  # short answers pending
    for answer in Answer.objects.filter(
        examinee__sitting=sitting, question__qtype="short", examinee__status="submitted"
    ):
        marking.answer_mark(answer=answer, points="30" if answer.examinee.seat == 1 else "0")
    value = marking.sitting_score(sitting=sitting)
    top = people[0]
    top.refresh_from_db()
    assert top.score == Decimal("100") and top.pending_marks == 0
    # Average over every drawn person (absent = 0): one 100, the others 0.
    n = len(people)
    expected = (Decimal("10") * Decimal("100") / n / 100).quantize(Decimal("0.01"))
    assert value == expected
    entry = ScoreEntry.objects.get(subject=ew.subject, indicator=ew.leaf)
    assert entry.value == expected and entry.source == "exam" and f"#{sitting.pk}" in entry.note
    answer = Answer.objects.get(examinee=top, question__qtype="short")
    marking.answer_mark(answer=answer, points="15")
    entry.refresh_from_db()
    assert entry.value == (Decimal("10") * Decimal("85") / n / 100).quantize(Decimal("0.01"))
    assert AuditEvent.objects.filter(action=actions.SITTING_SCORE).count() == 2
    assert sitting.__class__.objects.get(pk=sitting.pk).status == SittingStatus.MARKED


def test_oral_sitting_rubric_average_over_markers_reaches_the_leaf(ew):
    from kaohe.exams.factories import make_exam
    from kaohe.exams.tests.conftest import done_draw

    exam = make_exam(
        ew.oral_leaf, ew.bank, kind="oral", lines=[{"type": "short", "count": 2, "points": 50}]
    )
    assert [c["name"] for c in exam.criteria] == [
        "围绕主题",
        "结合实际",
        "思路清晰、层次分明",
        "表述流畅",
    ]
    members = [
        {"key": n, "label": n, "stratum": s}
        for n, s in (("甲", "负责同志"), ("乙", "成员"), ("丙", "成员"), ("丁", "成员"))
    ]
    draw = done_draw(ew.subject, preset="leaders", members=members)
    with pytest.raises(ValidationError):
        sittings.sitting_create(exam=exam, draw=draw, mode="online")
    sitting = sittings.sitting_create(exam=exam, draw=draw, mode="oral")
    sittings.sitting_draw_paper(sitting=sitting)
    assert sitting.examinees.count() == 3
    leader, member = ew.users["leader"], ew.users["member"]
    full = {"围绕主题": "30", "结合实际": "30", "思路清晰、层次分明": "20", "表述流畅": "20"}
    low = {"围绕主题": "20", "结合实际": "20", "思路清晰、层次分明": "10", "表述流畅": "10"}
    with pytest.raises(ValidationError):
        marking.oral_rate(
            examinee=sitting.examinees.first(), marker=leader, scores={**full, "表述流畅": "21"}
        )
    for examinee in sitting.examinees.all():
        marking.oral_rate(examinee=examinee, marker=leader, scores=full)
        marking.oral_rate(examinee=examinee, marker=member, scores=low)
    marking.sitting_close(sitting=sitting)
    value = marking.sitting_score(sitting=sitting)
    assert {e.score for e in sitting.examinees.all()} == {Decimal("80")}
    assert value == Decimal("8.00")
    assert ScoreEntry.objects.get(subject=ew.subject, indicator=ew.oral_leaf).value == Decimal(
        "8.00"
    )
    # A marker changes their mind: the leaf follows, audited.
    marking.oral_rate(examinee=sitting.examinees.first(), marker=member, scores=full)
    assert ScoreEntry.objects.get(subject=ew.subject, indicator=ew.oral_leaf).value == Decimal(
        "8.67"
    )


def test_verify_paper_command(ew, capsys):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    sitting = open_sitting(ew)
    call_command("verify_paper", str(sitting.pk))
    assert "核验通过" in capsys.readouterr().out
    sitting.seed = "другой"
    sitting.save(update_fields=["seed"])
    with pytest.raises(CommandError):
        call_command("verify_paper", str(sitting.pk))


def test_double_marking_needs_two_markers_and_a_third_when_far_apart(ew):
    ew.exam.double_marking = True
    ew.exam.save()
    sitting = open_sitting(ew)
    examinee = attempts.code_enter(code=sitting.examinees.first().code, client="x")
    attempts.examinee_submit(examinee=examinee)
    marking.sitting_close(sitting=sitting)
    answer = Answer.objects.get(examinee=examinee, question__qtype="short")
    leader, member, other = ew.users["leader"], ew.users["member"], ew.users["other_member"]
    marking.answer_mark(answer=answer, points="20", actor=leader)
    examinee.refresh_from_db()
    assert Answer.objects.get(pk=answer.pk).points is None and examinee.pending_marks == 1
    marking.answer_mark(answer=answer, points="10", actor=member)  # 10 apart > 20% of 30
    assert Answer.objects.get(pk=answer.pk).points is None
    marking.answer_mark(answer=answer, points="14", actor=member)  # the same marker corrects
    assert Answer.objects.get(pk=answer.pk).points == Decimal("17.00")
    marking.answer_mark(answer=answer, points="5", actor=member)
    marking.answer_mark(answer=answer, points="12", actor=other)
    assert Answer.objects.get(pk=answer.pk).points == Decimal("12.00")  # median of 20, 5, 12
    examinee.refresh_from_db()
    assert examinee.pending_marks == 0


def test_withdrawing_a_subject_that_sat_a_test_is_refused_with_a_message(ew):
    """Found by the form fuzzer: the sitting keeps its draw (PROTECT), so deleting the subject
    raised ProtectedError → 500. Now a message names what is kept and nothing changes."""
    from kaohe.schemes.models import Subject
    from kaohe.schemes.services import subject_withdraw

    sitting = open_sitting(ew)
    events = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as refused:
        subject_withdraw(subject=ew.subject, actor=ew.users["office"])
    assert "不能移出考核对象" in refused.value.messages[0]
    assert Subject.objects.filter(pk=ew.subject.pk).exists()
    assert sitting.__class__.objects.filter(pk=sitting.pk).exists()
    assert AuditEvent.objects.count() == events  # the withdrawal event rolled back too
