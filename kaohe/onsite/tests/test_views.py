"""Views by role: office, own team, other team, own unit, other unit, anonymous."""

from decimal import Decimal
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from docx import Document

from kaohe.common.testing import assert_view_access
from kaohe.onsite.models import Deduction, Draw, Evidence, Visit
from kaohe.onsite.services import checklists, draws
from kaohe.schemes.choices import SchemeStatus
from kaohe.schemes.models import ScoreEntry

from .test_services import PNG, staff_draw


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_subject_page_by_role(world):
    u = world.users
    url = reverse("onsite:subject", args=[world.county.pk])
    assert_view_access(
        url,
        allowed=[u["office"], u["leader"], u["member"], u["qingfeng"]],
        denied=[u["other_member"], u["sifaju"]],
    )
    # the team of 市司法局 is nobody's: only the office (and its own unit) sees it
    url = reverse("onsite:subject", args=[world.dept.pk])
    assert_view_access(url, allowed=[u["office"], u["sifaju"]], denied=[u["member"], u["qingfeng"]])


def test_team_member_sees_only_team_subjects(world):
    response = client_for(world.users["member"]).get(
        reverse("onsite:scheme", args=[world.scheme.pk])
    )
    assert response.status_code == 200
    assert "清丰县" in response.text and "市司法局" not in response.text
    other = client_for(world.users["other_member"]).get(
        reverse("onsite:scheme", args=[world.scheme.pk])
    )
    assert "清丰县" not in other.text
    office = client_for(world.users["office"]).get(reverse("onsite:scheme", args=[world.scheme.pk]))
    assert "清丰县" in office.text and "市司法局" in office.text


def test_work_pages_refused_to_unit_and_other_team(world):
    u = world.users
    for url in [
        reverse("onsite:draw_new", args=[world.county.pk]),
        reverse("onsite:deductions", args=[world.county.pk]),
    ]:
        assert_view_access(
            url,
            allowed=[u["office"], u["member"]],
            denied=[u["qingfeng"], u["other_member"], u["sifaju"]],
        )


def test_draw_flow_over_http(world):
    client = client_for(world.users["member"])
    response = client.post(
        reverse("onsite:draw_new", args=[world.county.pk]),
        {"preset": "staff", "source": "people", "count_min": "12", "count_max": "12"},
    )
    draw = Draw.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "onsite:draw", args=[draw.pk]
    )
    client.post(reverse("onsite:draw_seed", args=[draw.pk]), {"action": "typed", "seed": "4-2-6"})
    client.post(reverse("onsite:draw_execute", args=[draw.pk]))
    draw.refresh_from_db()
    assert draw.status == "done" and draw.seed == "4-2-6" and len(draws.draw_selected(draw)) == 12
    page = client.get(reverse("onsite:draw_verify", args=[draw.pk]))
    assert "核验通过" in page.text
    cert = client.get(reverse("onsite:draw_certificate", args=[draw.pk]))
    assert cert.status_code == 200 and "attachment" in cert["Content-Disposition"]
    text = "\n".join(
        c.text for t in Document(BytesIO(cert.content)).tables for r in t.rows for c in r.cells
    )
    assert draw.digest in text and "4-2-6" in text
    # the unit sees the finished draw and can verify it; another unit cannot
    u = world.users
    assert_view_access(
        reverse("onsite:draw_verify", args=[draw.pk]),
        allowed=[u["qingfeng"], u["office"]],
        denied=[u["sifaju"], u["other_member"]],
    )
    assert (
        client_for(u["qingfeng"])
        .post(reverse("onsite:draw_cancel", args=[draw.pk]), {"reason": "x"})
        .status_code
        == 404
    )


def test_draw_refusal_message_shown(world):
    client = client_for(world.users["member"])
    response = client.post(
        reverse("onsite:draw_new", args=[world.county.pk]),
        {"preset": "staff", "source": "people", "count_min": "27", "count_max": "27"},
        follow=True,
    )
    assert "无法按规则抽取" in response.text
    assert not Draw.objects.exists()


def test_typed_population_draw(world):
    client = client_for(world.users["leader"])
    client.post(
        reverse("onsite:draw_new", args=[world.county.pk]),
        {
            "preset": "leaders",
            "source": "typed",
            "text": "张县长,负责同志\n李,成员\n王,成员\n赵,成员",
        },
    )
    draw = Draw.objects.get()
    client.post(reverse("onsite:draw_seed", args=[draw.pk]), {"action": "generate"})
    client.post(reverse("onsite:draw_execute", args=[draw.pk]))
    draw.refresh_from_db()
    assert [m["stratum"] for m in draws.draw_selected(draw)].count("成员") == 2


def test_schedule_docx_and_calendar(world):
    visit = Visit.objects.get(subject=world.county)
    leader = client_for(world.users["leader"])
    response = leader.post(
        reverse("onsite:visit_schedule", args=[visit.pk]),
        {"date": "2021-01-26", "time_slot": "上午"},
    )
    assert response.status_code == 302
    visit.refresh_from_db()
    assert str(visit.date) == "2021-01-26"
    member = client_for(world.users["member"])  # a member may not change the schedule
    assert (
        member.post(
            reverse("onsite:visit_schedule", args=[visit.pk]), {"date": "2021-01-27"}
        ).status_code
        == 404
    )
    bad = leader.post(
        reverse("onsite:visit_schedule", args=[visit.pk]), {"date": "2021-03-01"}, follow=True
    )
    assert "不在实地考核期间" in bad.text
    docx = member.get(reverse("onsite:schedule_docx", args=[world.scheme.pk]))
    assert docx.status_code == 200
    cells = [
        c.text for t in Document(BytesIO(docx.content)).tables for r in t.rows for c in r.cells
    ]
    assert "清丰县" in cells and "01月26日" in cells
    calendar = member.get(reverse("onsite:calendar", args=[world.scheme.pk]))
    assert "清丰县" in calendar.text and "01月26日" in calendar.text
    assert (
        client_for(world.users["sifaju"])
        .get(reverse("onsite:schedule_docx", args=[world.scheme.pk]))
        .status_code
        == 404
    )


def test_team_management_only_office(world):
    u = world.users
    url = reverse("onsite:team_assign", args=[world.team.pk])
    assert client_for(u["leader"]).post(url, {"subjects": [world.dept.pk]}).status_code == 404
    response = client_for(u["office"]).post(url, {"subjects": [world.dept.pk]})
    assert response.status_code == 302 and Visit.objects.get(subject=world.dept).team == world.team
    conflict = client_for(u["office"]).post(
        reverse("onsite:team_update", args=[world.team.pk]),
        {"leader": u["leader"].pk, "members": [u["member"].pk, u["county_staff"].pk]},
        follow=True,
    )
    assert "不能考核本单位" in conflict.text
    assert not world.team.members.filter(pk=u["county_staff"].pk).exists()


def test_checklist_fill_over_http(world):
    checklist = checklists.checklist_save(
        indicator=world.leaves["X3.4"],
        items=[("领导重视", None), ("汇报全面", None)],
        per_target=False,
    )
    a, b = checklist.items.all()
    url = reverse("onsite:checklist_fill", args=[world.county.pk, world.leaves["X3.4"].pk])
    client = client_for(world.users["member"])
    assert client.get(url).status_code == 200
    client.post(url, {f"item-{a.pk}": "pass", f"item-{b.pk}": "fail", f"note-{b.pk}": "缺少数据"})
    entry = ScoreEntry.objects.get(subject=world.county, indicator=world.leaves["X3.4"])
    assert entry.value == Decimal("5.00") and entry.source == "checklist"
    assert client_for(world.users["qingfeng"]).get(url).status_code == 404


def test_deduction_visible_to_unit_only_after_publication(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client = client_for(world.users["member"])
    client.post(
        reverse("onsite:deductions", args=[world.county.pk]),
        {
            "indicator": world.leaves["X5"].pk,
            "points": "1.5",
            "reason": "窗口工作人员态度生硬",
            "found_on": "2021-01-20",
            "files": [SimpleUploadedFile("p.png", PNG)],
        },
    )
    deduction = Deduction.objects.get()
    evidence = Evidence.objects.get()
    assert deduction.recorded_by == world.users["member"]
    unit = client_for(world.users["qingfeng"])
    page = reverse("onsite:subject", args=[world.county.pk])
    file_url = reverse("onsite:evidence", args=[evidence.pk])
    assert "态度生硬" not in unit.get(page).text
    assert unit.get(file_url).status_code == 404
    world.scheme.status = SchemeStatus.PUBLICITY
    world.scheme.save()
    assert "态度生硬" in unit.get(page).text
    response = unit.get(file_url)
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == PNG
    assert client_for(world.users["sifaju"]).get(file_url).status_code == 404
    assert Client().get(file_url).status_code == 302


def test_deduction_refused_after_freeze(world):
    world.scheme.status = SchemeStatus.FROZEN
    world.scheme.save()
    response = client_for(world.users["member"]).post(
        reverse("onsite:deductions", args=[world.county.pk]),
        {"indicator": world.leaves["X5"].pk, "points": "1", "reason": "x"},
        follow=True,
    )
    assert "冻结" in response.text and not Deduction.objects.exists()


def test_setup_pages_office_only(world):
    u = world.users
    assert_view_access(
        reverse("onsite:setup", args=[world.scheme.pk]),
        allowed=[u["office"]],
        denied=[u["leader"], u["qingfeng"]],
    )
    client = client_for(u["office"])
    client.post(reverse("onsite:checklists_generate", args=[world.scheme.pk]))
    page = client.get(reverse("onsite:checklist_edit", args=[world.leaves["X3.2"].pk]))
    assert checklists.CATALOGUE_RULE in page.text
    response = client.post(
        reverse("onsite:case_sheet_edit", args=[world.leaves["X3.1"].pk]),
        {"full_score": "100", "criteria": "事实清楚 | 基本 | 0\n文书规范 | 一般 | 10"},
    )
    assert response.status_code == 302
    sheet = world.leaves["X3.1"].case_sheet
    assert [c.is_basic for c in sheet.criteria.all()] == [True, False]
    url = reverse("onsite:case_reviews", args=[world.county.pk, world.leaves["X3.1"].pk])
    minor = sheet.criteria.get(is_basic=False)
    client_for(u["member"]).post(url, {"file_label": "复议1号", "failed": [minor.pk]})
    assert ScoreEntry.objects.get(
        subject=world.county, indicator=world.leaves["X3.1"]
    ).value == Decimal("0.80")


def test_filing_page(world):
    url = reverse("onsite:filing_checks", args=[world.county.pk, world.leaves["X3.3"].pk])
    client = client_for(world.users["member"])
    client.post(
        url,
        {
            "record_label": "备案1",
            "has_report": "on",
            "has_review_form": "on",
            "has_decision": "on",
            "form_proper": "on",
            "decision_date": "2020-03-01",
            "filing_date": "2020-03-20",
            "received_date": "2020-03-20",
            "reviewed_date": "2020-04-01",
        },
    )
    page = client.get(url)
    assert "超过 15 日时限 4 日" in page.text
    assert ScoreEntry.objects.get(
        subject=world.county, indicator=world.leaves["X3.3"]
    ).value == Decimal("8.00")
    bad_date = client.post(
        url, {"record_label": "备案2", "decision_date": "2020-13-01"}, follow=True
    )
    assert "不是有效日期" in bad_date.text


@pytest.mark.parametrize("name", ["draw", "draw_verify", "draw_certificate"])
def test_unfinished_draw_hidden_from_unit(world, name):
    draw = draws.draw_prepare(
        subject=world.county, title="x", members=[{"key": "a"}], rule={"count_min": 1}
    )
    assert (
        client_for(world.users["qingfeng"])
        .get(reverse(f"onsite:{name}", args=[draw.pk]))
        .status_code
        == 404
    )
    assert (
        client_for(world.users["member"]).get(reverse(f"onsite:{name}", args=[draw.pk])).status_code
        == 200
    )


def test_index_and_anonymous(world):
    assert Client().get(reverse("onsite:index")).status_code == 302
    response = client_for(world.users["member"]).get(reverse("onsite:index"))
    assert response.status_code == 302 and str(world.scheme.pk) in response["Location"]


def test_existing_draw_helper_used(world):
    draw = staff_draw(world)
    assert (
        client_for(world.users["qingfeng"])
        .get(reverse("onsite:subject", args=[world.county.pk]))
        .status_code
        == 200
    )
    assert (
        f"#{draw.pk}"
        in client_for(world.users["qingfeng"])
        .get(reverse("onsite:subject", args=[world.county.pk]))
        .text
    )


def test_checklist_photo_all_or_nothing(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    checklist = checklists.checklist_save(
        indicator=world.leaves["X3.2"], items=[("清单细化", None)], per_target=True
    )
    item = checklist.items.get()
    url = reverse("onsite:checklist_fill", args=[world.county.pk, world.leaves["X3.2"].pk])
    client = client_for(world.users["member"])
    bad = client.post(
        url,
        {
            "target": "市住建局",
            f"item-{item.pk}": "pass",
            "photos": [SimpleUploadedFile("a.jpg", b"MZ fake")],
        },
        follow=True,
    )
    assert "类型不允许" in bad.text
    assert not ScoreEntry.objects.filter(indicator=world.leaves["X3.2"]).exists()
    assert not Evidence.objects.exists()
    client.post(
        url,
        {
            "target": "市住建局",
            f"item-{item.pk}": "pass",
            "photos": [SimpleUploadedFile("a.png", PNG)],
        },
    )
    evidence = Evidence.objects.get()
    assert evidence.fill.target == "市住建局" and evidence.kind == "photo"
    assert client.get(reverse("onsite:evidence", args=[evidence.pk])).status_code == 200
    # fill photos are the team's working papers, not shown to the unit even after publication
    world.scheme.status = SchemeStatus.FINAL
    world.scheme.save()
    assert (
        client_for(world.users["qingfeng"])
        .get(reverse("onsite:evidence", args=[evidence.pk]))
        .status_code
        == 404
    )


def test_team_candidates_cover_the_owner_unit_only(world):
    from kaohe.accounts.choices import Role
    from kaohe.common.testing import make_unit, make_user

    elsewhere = make_unit("安阳市")
    make_user("stranger", role=Role.TEAM_LEADER, unit=elsewhere, subtree=True)
    page = client_for(world.users["office"]).get(reverse("onsite:scheme", args=[world.scheme.pk]))
    assert "（leader）" in page.text and "（stranger）" not in page.text


def test_key_pages_query_count_does_not_grow(world, django_assert_max_num_queries):
    for n in range(6):
        staff_draw(world, seed=str(n))
    client = client_for(world.users["member"])
    with django_assert_max_num_queries(20):
        assert client.get(reverse("onsite:subject", args=[world.county.pk])).status_code == 200
    with django_assert_max_num_queries(16):
        assert client.get(reverse("onsite:scheme", args=[world.scheme.pk])).status_code == 200


def test_draw_list_by_role(world):
    done = staff_draw(world)
    pending = draws.draw_prepare(
        subject=world.county, title="待抽", members=[{"key": "a"}], rule={"count_min": 1}
    )
    url = reverse("onsite:draw_list", args=[world.scheme.pk])
    member = client_for(world.users["member"]).get(url).text
    assert f"#{done.pk}" in member and f"#{pending.pk}" in member
    unit = client_for(world.users["qingfeng"]).get(url).text
    assert f"#{done.pk}" in unit and f"#{pending.pk}" not in unit
    assert f"#{done.pk}" not in client_for(world.users["other_member"]).get(url).text
    assert client_for(world.users["sifaju"]).get(url).status_code == 200
    assert f"#{done.pk}" not in client_for(world.users["sifaju"]).get(url).text
