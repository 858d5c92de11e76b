"""Legal-knowledge test results and satisfaction survey results through the API: the same
people as the pages (office; the visiting team for tests), only grouped survey counts."""

from types import SimpleNamespace

import pytest

from kaohe.exams.models import Sitting
from kaohe.exams.services import marking
from kaohe.schemes.models import Subject
from kaohe.surveys.models import Survey
from tests.matrix import exams_sittings, onsite_team_and_visit, surveys_answer_and_forum


@pytest.fixture
def data(demo, demo_users):
    ctx = SimpleNamespace(
        scheme=demo, users=demo_users, subject=Subject.objects.get(scheme=demo, unit__name="清丰县")
    )
    onsite_team_and_visit(ctx)
    exams_sittings(ctx)
    surveys_answer_and_forum(ctx)
    paper = Sitting.objects.get(subject=ctx.subject, mode="paper")
    first, *rest = list(paper.examinees.order_by("seat"))
    marking.paper_answers_save(examinee=first, responses={})
    for examinee in rest:
        marking.examinee_mark_absent(examinee=examinee)
    marking.sitting_close(sitting=paper)
    return SimpleNamespace(ctx=ctx, paper=paper, survey=Survey.objects.filter(scheme=demo).first())


def test_exam_results_per_subject_and_examinee(bearer, data):
    scheme, subject = data.ctx.scheme, data.ctx.subject
    url = f"/api/v1/schemes/{scheme.pk}/exam-results"
    office = bearer("office", "read").get(f"{url}?subject_id={subject.pk}&limit=500").json()
    assert office["count"] == 3  # online, paper, oral (none cancelled)
    row = next(r for r in office["items"] if r["sitting_id"] == data.paper.pk)
    people = data.paper.examinees.count()
    assert row["unit"] == "清丰县" and row["people"] == people and row["sat"] == 1
    assert row["status"] == "closed" and row["result_percent"] is None
    assert bearer("office").get(f"{url}?status=closed").json()["count"] == 1
    assert bearer("office").get(f"{url}?status=bogus").status_code == 422
    examinees = bearer("office").get(f"/api/v1/sittings/{data.paper.pk}/examinees").json()
    assert examinees["count"] == people
    first = examinees["items"][0]
    assert first["seat"] == 1 and first["status"] == "submitted" and first["score"] is not None
    assert "code" not in first and "layout" not in first  # the one-time code never leaves
    assert {e["status"] for e in examinees["items"][1:]} == {"absent"}
    # The visiting team reads its subject's tests; the unit itself reads none (as the pages).
    team = bearer("team1", "read")
    assert team.get(url).json()["count"] == 3
    assert team.get(f"/api/v1/sittings/{data.paper.pk}/examinees").status_code == 200
    unit = bearer("qingfeng", "read")
    assert unit.get(url).json()["count"] == 0
    assert unit.get(f"/api/v1/sittings/{data.paper.pk}/examinees").status_code == 404


def test_survey_results_are_grouped_counts_for_the_office_only(bearer, data):
    survey, subject = data.survey, data.ctx.subject
    office = bearer("office", "read")
    listing = office.get(f"/api/v1/schemes/{data.ctx.scheme.pk}/surveys").json()
    assert survey.pk in [s["id"] for s in listing["items"]]
    results = office.get(f"/api/v1/surveys/{survey.pk}/results?limit=500").json()
    assert results["count"] == survey.targets.count()
    row = next(r for r in results["items"] if r["subject_id"] == subject.pk)
    assert row["responses"] == 1 and row["unit"] == "清丰县"
    assert {c["channel"]: c["responses"] for c in row["channels"]}["paper"] == 1
    one = office.get(f"/api/v1/surveys/{survey.pk}/results?subject_id={subject.pk}").json()
    assert one["count"] == 1 and one["items"][0] == row
    questions = office.get(f"/api/v1/surveys/{survey.pk}/questions?subject_id={subject.pk}")
    body = questions.content.decode()
    assert questions.status_code == 200 and "矩阵意见" not in body  # free text never leaves
    counts = [o["count"] for q in questions.json()["items"] for o in q["options"]]
    assert sum(counts) == len(questions.json()["items"])  # one answer per choice question
    for name in ("qingfeng", "team1"):
        client = bearer(name, "read")
        assert client.get(f"/api/v1/surveys/{survey.pk}/results").status_code == 404
        assert client.get(f"/api/v1/schemes/{data.ctx.scheme.pk}/surveys").status_code == 404
