"""Services: teams and visits, draws, populations, checklists, reviews, deductions, evidence."""

import json
from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from kaohe.audit.models import AuditEvent
from kaohe.onsite import marks, populations
from kaohe.onsite.choices import DrawStatus
from kaohe.onsite.models import Draw, Evidence
from kaohe.onsite.presets import PRESETS_BY_CODE
from kaohe.onsite.services import checklists, deductions, draws, reviews, teams
from kaohe.schemes.choices import SchemeStatus
from kaohe.schemes.models import ScoreEntry

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00"
    b"\x00\x00\x00IEND\xaeB`\x82"
)


def score(world_subject, leaf):
    entry = ScoreEntry.objects.filter(subject=world_subject, indicator=leaf).first()
    return entry and entry.value


# --- teams and visits ---------------------------------------------------------------


def test_member_cannot_assess_own_unit(world):
    with pytest.raises(ValidationError, match="不能考核本单位"):
        teams.team_update(
            team=world.team,
            leader=world.users["leader"],
            members=[world.users["member"], world.users["county_staff"]],
        )
    other = teams.team_create(
        scheme=world.scheme, name="第三组", leader=world.users["county_staff"]
    )
    with pytest.raises(ValidationError, match="清丰县"):
        teams.visit_assign(team=other, subjects=[world.county])
    teams.visit_assign(team=other, subjects=[world.dept])  # another unit is fine
    assert world.dept.visit.team == other


def test_team_needs_team_role(world):
    with pytest.raises(ValidationError, match="考核组角色"):
        teams.team_create(scheme=world.scheme, name="X", leader=world.users["qingfeng"])


def test_visit_date_within_onsite_period(world):
    visit = world.county.visit
    with pytest.raises(ValidationError, match="不在实地考核期间"):
        teams.visit_schedule(visit=visit, day=date(2021, 2, 6))
    teams.visit_schedule(visit=visit, day=date(2021, 1, 25), time_slot="上午", place="县政府")
    visit.refresh_from_db()
    assert visit.date == date(2021, 1, 25) and visit.place == "县政府"
    assert AuditEvent.objects.filter(action="onsite.visit.schedule").exists()


# --- draws -------------------------------------------------------------------------------


def staff_draw(world, seed="3-5-6"):
    preset = PRESETS_BY_CODE["staff"]
    draw = draws.draw_prepare(
        subject=world.county,
        title=preset.title,
        members=populations.from_people(world.county.unit),
        rule=preset.rule,
        source=preset.source,
        preset=preset.code,
        actor=world.users["member"],
    )
    draws.draw_announce_seed(draw=draw, seed=seed, actor=world.users["member"])
    return draws.draw_execute(draw=draw, actor=world.users["member"])


def test_staff_draw_end_to_end(world):
    draw = staff_draw(world)
    assert draw.status == DrawStatus.DONE
    chosen = draws.draw_selected(draw)
    assert 10 <= len(chosen) <= 15
    assert all(m["stratum"] != "head" for m in chosen)
    assert sum(m["stratum"] == "middle" for m in chosen) * 2 >= len(chosen)
    assert draws.draw_verify(draw).ok
    again = staff_draw(world)  # same population, rule and seed → same result
    assert again.result_json == draw.result_json and again.digest == draw.digest
    assert AuditEvent.objects.filter(action="onsite.draw.execute", object_id=str(draw.pk)).exists()


def test_draw_refused_with_reason_when_not_enough_middle_cadres(world):
    from kaohe.orgs.models import Person

    middle = Person.objects.filter(unit=world.county.unit, level="middle")
    middle.exclude(pk__in=list(middle.values_list("pk", flat=True)[:3])).delete()
    with pytest.raises(ValidationError, match="中层干部.*只有 3 个"):
        staff_draw(world)
    assert not Draw.objects.exists()


def test_seed_is_fixed_before_draw_and_cannot_change(world):
    draw = draws.draw_prepare(
        subject=world.county,
        title="部门",
        members=populations.from_text("甲\n乙\n丙"),
        rule={"count_min": 1},
    )
    with pytest.raises(ValidationError):
        draws.draw_execute(draw=draw)
    draws.draw_announce_seed(draw=draw, seed=None)
    draw.refresh_from_db()
    assert len(draw.seed) == 8 and draw.seed.isdigit() and draw.seed_source == "generated"
    with pytest.raises(ValidationError, match="不能更改"):
        draws.draw_announce_seed(draw=draw, seed="123")


def test_tampered_draw_fails_verification_and_command(world):
    draw = staff_draw(world)
    call_command("verify_draw", str(draw.pk))
    result = json.loads(draw.result_json)
    people = draws.draw_members(draw)
    outsider = next(m["key"] for m in people if m["key"] not in result and m["stratum"] != "head")
    result[-1] = outsider
    Draw.objects.filter(pk=draw.pk).update(result_json=json.dumps(result))
    draw.refresh_from_db()
    report = draws.draw_verify(draw)
    assert not report.ok
    assert ("重新计算的抽取结果与记录一致", False) in report.checks
    with pytest.raises(CommandError, match="核验未通过"):
        call_command("verify_draw", str(draw.pk))
    with pytest.raises(CommandError, match="不存在"):
        call_command("verify_draw", "999999")


def test_consistent_rewrite_caught_by_audit_log(world):
    """Rewriting seed, digest and result together passes recomputation but not the audit log."""
    from kaohe.onsite import draw_engine

    draw = staff_draw(world)
    outcome = draw_engine.run_draw(draws.draw_members(draw), draws.draw_rule(draw), "other")
    Draw.objects.filter(pk=draw.pk).update(
        seed="other", digest=outcome.digest, result_json=json.dumps(list(outcome.selected))
    )
    draw.refresh_from_db()
    report = draws.draw_verify(draw)
    assert ("重新计算的抽取结果与记录一致", True) in report.checks
    assert ("随机种子与公布时的审计记录一致", False) in report.checks
    assert not report.ok


def test_population_tamper_detected(world):
    draw = staff_draw(world)
    members = draws.draw_members(draw)
    members[0]["label"] = "改过的名字"
    Draw.objects.filter(pk=draw.pk).update(population_json=json.dumps(members, ensure_ascii=False))
    draw.refresh_from_db()
    assert ("名单摘要与创建时记录一致", False) in draws.draw_verify(draw).checks


def test_cancel_needs_reason(world):
    draw = staff_draw(world)
    with pytest.raises(ValidationError):
        draws.draw_cancel(draw=draw, reason=" ")
    draws.draw_cancel(draw=draw, reason="名单有误")
    assert Draw.objects.get(pk=draw.pk).status == DrawStatus.CANCELLED


def test_complaints_one_from_each_of_five_departments(world):
    text = "编号,名称,类别,部门\n" + "\n".join(
        f"T{d}{i},投诉{d}{i},,{d}" for d in "ABCDEF" for i in range(3)
    )
    preset = PRESETS_BY_CODE["complaints"]
    draw = draws.draw_prepare(
        subject=world.county,
        title=preset.title,
        members=populations.from_text(text),
        rule=preset.rule,
    )
    draws.draw_announce_seed(draw=draw, seed="7")
    chosen = draws.draw_selected(draws.draw_execute(draw=draw))
    assert len({m["group"] for m in chosen}) == 5 == len(chosen)


# --- populations -------------------------------------------------------------------------


def test_text_population_errors_name_the_row():
    with pytest.raises(ValidationError, match="第 3 行编号“甲”与第 1 行重复"):
        populations.from_text("甲\n乙\n甲")
    members = populations.from_text("编号\t名称\t类别\nA1\t张三\t成员\nA2\t李四\t负责同志")
    assert members[1] == {"key": "A2", "label": "李四", "stratum": "负责同志", "group": ""}


def test_xlsx_population():
    wb = Workbook()
    ws = wb.active
    ws.append(["编号", "名称"])
    ws.append(["F1", "案卷一"])
    ws.append([None, None])
    ws.append([2, "案卷二"])
    buffer = BytesIO()
    wb.save(buffer)
    members = populations.from_xlsx(SimpleUploadedFile("cases.xlsx", buffer.getvalue()))
    assert [m["key"] for m in members] == ["F1", "2"]
    with pytest.raises(ValidationError, match="不是有效的"):
        populations.from_xlsx(SimpleUploadedFile("x.xlsx", b"not a workbook"))


# --- checklists ---------------------------------------------------------------------------


def test_requirement_split_and_catalogue_item(world):
    items = checklists.split_requirement(world.leaves["X3.2"].requirement)
    assert items[-1] == checklists.CATALOGUE_RULE
    assert items[1] == "适用一般程序作出的所有行政处罚决定都要依法进行法制审核"
    assert len(items) == 3


def test_checklists_from_requirements_and_fill_gives_leaf_score(world):
    made = checklists.checklists_from_requirements(scheme=world.scheme)
    by_code = {c.indicator.code: c for c in made}
    assert set(by_code) == {"X3.1", "X3.2", "X3.4"}  # X3.3 (备案) is scored by filing checks
    catalogue = by_code["X3.2"]
    assert catalogue.per_target
    items = list(catalogue.items.all())
    answers = {i.pk: ("pass", "") for i in items}
    with pytest.raises(ValidationError, match="检查对象"):
        checklists.checklist_fill_save(checklist=catalogue, subject=world.county, answers=answers)
    checklists.checklist_fill_save(
        checklist=catalogue, subject=world.county, answers=answers, target="市住建局"
    )
    assert score(world.county, world.leaves["X3.2"]) == Decimal("8.00")
    answers[items[-1].pk] = ("fail", "清单表述为重大行政处罚事项")
    checklists.checklist_fill_save(
        checklist=catalogue, subject=world.county, answers=answers, target="市水利局"
    )
    # (1 + 2/3) / 2 of 8 points
    assert score(world.county, world.leaves["X3.2"]) == Decimal("6.67")
    entry = ScoreEntry.objects.get(subject=world.county, indicator=world.leaves["X3.2"])
    assert entry.source == "checklist"


def test_checklist_fill_requires_every_item(world):
    checklist = checklists.checklist_save(
        indicator=world.leaves["X3.4"],
        items=[("领导重视", None), ("汇报全面", None)],
        per_target=False,
    )
    first = checklist.items.first()
    with pytest.raises(ValidationError, match="未选择"):
        checklists.checklist_fill_save(
            checklist=checklist, subject=world.county, answers={first.pk: ("pass", "")}
        )
    assert score(world.county, world.leaves["X3.4"]) is None


def test_checklist_refused_for_penalty_leaf(world):
    with pytest.raises(ValidationError, match="不能由检查清单折算"):
        checklists.checklist_save(
            indicator=world.leaves["X5"], items=[("x", None)], per_target=False
        )


def test_frozen_scheme_refuses_checklist_score(world):
    checklist = checklists.checklist_save(
        indicator=world.leaves["X3.4"], items=[("领导重视", None)], per_target=False
    )
    world.scheme.status = SchemeStatus.FROZEN
    world.scheme.save()
    with pytest.raises(ValidationError, match="冻结"):
        checklists.checklist_fill_save(
            checklist=checklist,
            subject=world.county,
            answers={checklist.items.first().pk: ("pass", "")},
        )


# --- case review and filing ------------------------------------------------------------


def test_case_review_basic_item_zero_and_average(world):
    sheet = reviews.case_sheet_save(
        indicator=world.leaves["X3.1"], criteria=reviews.DEFAULT_CRITERIA
    )
    crit = list(sheet.criteria.all())
    basic = next(c for c in crit if c.is_basic)
    minor = [c for c in crit if not c.is_basic]
    r1 = reviews.case_review_save(
        sheet=sheet, subject=world.county, file_label="复议1号", failed_ids=[basic.pk]
    )
    assert r1.score == 0 and not r1.qualified
    r2 = reviews.case_review_save(
        sheet=sheet, subject=world.county, file_label="复议2号", failed_ids=[c.pk for c in minor]
    )
    assert r2.score == Decimal("75") and r2.qualified
    # average 37.5 / 100 → 8 × (1 − 0.375) = 5.00 deducted
    assert score(world.county, world.leaves["X3.1"]) == Decimal("5.00")
    with pytest.raises(ValidationError, match="不能再修改"):
        reviews.case_sheet_save(indicator=world.leaves["X3.1"], criteria=[("x", True, Decimal(0))])


def test_case_score_floor_at_zero():
    rows = [
        marks.CaseCriterionRow(1, False, Decimal("70")),
        marks.CaseCriterionRow(2, False, Decimal("50")),
    ]
    assert marks.case_file_score(Decimal("100"), rows, {1, 2}) == (Decimal("0"), True)


def test_filing_breaches_from_dates():
    facts = marks.FilingFacts(
        True,
        True,
        False,
        True,
        date(2020, 3, 1),
        date(2020, 3, 17),
        date(2020, 3, 18),
        date(2020, 5, 17),
    )
    breaches = marks.filing_breaches(facts)
    assert "缺少行政处罚决定书" in breaches
    assert any("第 16 日才备案" in b and "1 日" in b for b in breaches)
    assert not any("审查" in b and "超过" in b for b in breaches)  # 60 days exactly is in time
    ok = marks.FilingFacts(
        True,
        True,
        True,
        True,
        date(2020, 3, 1),
        date(2020, 3, 16),
        date(2020, 3, 16),
        date(2020, 5, 15),
    )
    assert marks.filing_breaches(ok) == []


def test_filing_check_writes_leaf(world):
    good = {
        "has_report": True,
        "has_review_form": True,
        "has_decision": True,
        "form_proper": True,
        "decision_date": date(2020, 3, 1),
        "filing_date": date(2020, 3, 10),
        "received_date": date(2020, 3, 10),
        "reviewed_date": date(2020, 4, 1),
    }
    reviews.filing_check_save(
        indicator=world.leaves["X3.3"], subject=world.county, record_label="备1", data=good
    )
    assert score(world.county, world.leaves["X3.3"]) == Decimal("0.00")
    late = {**good, "reviewed_date": date(2020, 6, 1)}
    reviews.filing_check_save(
        indicator=world.leaves["X3.3"], subject=world.county, record_label="备2", data=late
    )
    assert score(world.county, world.leaves["X3.3"]) == Decimal("4.00")


# --- deductions and evidence ------------------------------------------------------------


def test_deductions_capped_and_withdrawn(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    leaf = world.leaves["X5"]
    photo = SimpleUploadedFile("现场.png", PNG)
    d1 = deductions.deduction_record(
        subject=world.county,
        indicator=leaf,
        points=Decimal("3"),
        reason="窗口人员推诿",
        found_on=date(2021, 1, 20),
        files=[photo],
        actor=world.users["member"],
    )
    assert Evidence.objects.get(deduction=d1).mime == "image/png"
    deductions.deduction_record(
        subject=world.county, indicator=leaf, points=Decimal("4"), reason="热线未接通"
    )
    entry = ScoreEntry.objects.get(subject=world.county, indicator=leaf)
    assert entry.value == Decimal("5") and "按上限" in entry.note and entry.source == "undercover"
    deductions.deduction_withdraw(deduction=d1, reason="复核不成立")
    assert score(world.county, leaf) == Decimal("4")


def test_evidence_type_checked_by_content(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    fake = SimpleUploadedFile("photo.jpg", b"<html>not an image</html>")
    with pytest.raises(ValidationError, match="photo.jpg.*不允许"):
        deductions.deduction_record(
            subject=world.county,
            indicator=world.leaves["X5"],
            points=Decimal("1"),
            reason="x",
            files=[fake],
        )
    assert not Evidence.objects.exists()
    assert score(world.county, world.leaves["X5"]) is None
    assert not list(tmp_path.rglob("*.*"))


def test_withdrawing_a_subject_keeps_its_on_site_records(world, settings, tmp_path):
    """Withdrawing used to delete a unit's deductions, evidence and draws with it: now it is
    refused with a message naming them, and nothing changes; a unit without any withdraws."""
    from kaohe.onsite.models import Deduction
    from kaohe.schemes.models import Subject
    from kaohe.schemes.services import subject_withdraw

    settings.MEDIA_ROOT = tmp_path
    deduction = deductions.deduction_record(
        subject=world.county,
        indicator=world.leaves["X5"],
        points=Decimal("3"),
        reason="窗口人员推诿",
        files=[SimpleUploadedFile("现场.png", PNG)],
        actor=world.users["member"],
    )
    events = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as refused:
        subject_withdraw(subject=world.county, actor=world.users["office"])
    message = refused.value.messages[0]
    assert "暗访扣分" in message and "证据材料" in message and "不能移出考核对象" in message
    assert Subject.objects.filter(pk=world.county.pk).exists()
    assert Deduction.objects.filter(pk=deduction.pk).exists()
    assert Evidence.objects.filter(deduction=deduction).exists()
    assert AuditEvent.objects.count() == events
    untouched = Subject.objects.filter(scheme=world.county.scheme).exclude(pk=world.county.pk)
    bare = next(s for s in untouched if not Draw.objects.filter(subject=s).exists())
    subject_withdraw(subject=bare, actor=world.users["office"])
    assert not Subject.objects.filter(pk=bare.pk).exists()


def test_deduction_must_target_penalty_leaf(world):
    with pytest.raises(ValidationError, match="扣分项"):
        deductions.deduction_record(
            subject=world.county, indicator=world.leaves["X3.4"], points=Decimal("1"), reason="x"
        )


def test_onsite_demo_command(demo):
    from kaohe.onsite.models import Checklist, Visit

    call_command("onsite_demo")
    call_command("onsite_demo")  # safe to run twice
    visits = Visit.objects.filter(team__name="第一考核组")
    assert visits.count() == 12
    scheme = visits.first().team.scheme
    assert all(scheme.onsite_start <= v.date <= scheme.onsite_end for v in visits)
    assert all(v.date.weekday() < 5 for v in visits)
    assert Checklist.objects.filter(indicator__scheme=scheme).count() >= 5
    catalogue = Checklist.objects.get(indicator__name__contains="法制审核目录清单")
    assert catalogue.per_target
    assert checklists.CATALOGUE_RULE in [i.text for i in catalogue.items.all()]
    audio_video = Checklist.objects.get(indicator__name__contains="音像记录事项清单")
    assert audio_video.per_target
    assert [i.text for i in audio_video.items.all()] == ["《音像记录事项清单》细化到具体执法环节"]
    assert not Checklist.objects.filter(indicator__name__contains="备案").exists()
