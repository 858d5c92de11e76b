"""Scheme services: copying last year's scheme, enrolment rules, score versions, audit."""

from datetime import date
from decimal import Decimal
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError

from kaohe.accounts.choices import Role
from kaohe.audit.models import AuditEvent
from kaohe.common.testing import make_category, make_scheme, make_unit, make_user
from kaohe.schemes import access
from kaohe.schemes.models import Indicator, ScoreEntry, Subject
from kaohe.schemes.services import indicator_create, scheme_copy, subject_enrol
from kaohe.scoring.services import ScoreConflict, score_set

pytestmark = pytest.mark.django_db


def _tree(scheme):
    return sorted(
        (
            i.code,
            i.name,
            i.level,
            i.parent.code if i.parent else "",
            i.component.code,
            i.max_score,
            i.method,
            tuple(sorted(c.code for c in i.applies_to.all())),
            tuple(sorted(u.name for u in i.responsible_units.all())),
            i.materials,
        )
        for i in Indicator.objects.filter(scheme=scheme).select_related("parent", "component")
    )


def test_copy_keeps_tree_rules_and_subjects_and_shifts_deadlines(demo):
    demo.grade_levels.filter(name="优秀").update(quota_percent=Decimal(30))
    copy = scheme_copy(source=demo, code="puyang-2021", name="2021年度依法行政考核", year=2021)
    assert _tree(copy) == _tree(demo)
    assert set(copy.grade_levels.values_list("name", "min_total", "quota_percent")) == set(
        demo.grade_levels.values_list("name", "min_total", "quota_percent")
    )
    assert [
        (g.name, sorted(u.code for u in g.unit_categories.all()))
        for g in copy.grading_categories.all()
    ] == [
        (g.name, sorted(u.code for u in g.unit_categories.all()))
        for g in demo.grading_categories.all()
    ]
    assert copy.indicators.get(code="X1.1").deadline == date(2021, 12, 28)
    assert copy.subjects.count() == 46 and not ScoreEntry.objects.filter(subject__scheme=copy)
    assert copy.previous == demo and copy.penalty_cap == demo.penalty_cap
    assert AuditEvent.objects.filter(action="scheme.copy", scheme_id=copy.pk).exists()


def test_enrol_rules():
    county, dept = make_category("county", "县区"), make_category()
    scheme = make_scheme("s1", categories=[dept])
    outsider = make_unit("别的市某局", category=dept)
    with pytest.raises(ValidationError, match="不在"):
        subject_enrol(scheme=scheme, unit=outsider)
    no_group = make_unit("某县", parent=scheme.owner_unit, category=county)
    with pytest.raises(ValidationError, match="评定组别"):
        subject_enrol(scheme=scheme, unit=no_group)
    ok = make_unit("某局", parent=scheme.owner_unit, category=dept)
    subject_enrol(scheme=scheme, unit=ok)
    with pytest.raises(ValidationError, match="已是"):
        subject_enrol(scheme=scheme, unit=ok)


def test_score_versions_and_audit_trail():
    dept = make_category()
    scheme = make_scheme("s1", categories=[dept])
    subject = subject_enrol(
        scheme=scheme, unit=make_unit("某局", parent=scheme.owner_unit, category=dept)
    )
    leaf = scheme.indicators.get(code="D1")
    entry = score_set(subject=subject, indicator=leaf, value=Decimal(80), expected_version=0)
    assert entry.version == 1
    entry = score_set(
        subject=subject, indicator=leaf, value=Decimal(85), note="更正", expected_version=1
    )
    assert entry.version == 2
    with pytest.raises(ScoreConflict):
        score_set(subject=subject, indicator=leaf, value=Decimal(90), expected_version=1)
    events = AuditEvent.objects.filter(action="score.set", object_id=str(entry.pk))
    assert [e.after for e in events] == [
        '{"note":"","source":"manual","value":"80"}',
        '{"note":"更正","source":"manual","value":"85"}',
    ]
    assert events.last().before == '{"note":"","value":"80.00"}'
    score_set(subject=subject, indicator=leaf, value=None)
    assert not ScoreEntry.objects.filter(pk=entry.pk).exists()


def test_group_indicator_cannot_take_scores_and_child_not_under_scored_leaf():
    dept = make_category()
    scheme = make_scheme("s1", categories=[dept])
    subject = subject_enrol(
        scheme=scheme, unit=make_unit("某局", parent=scheme.owner_unit, category=dept)
    )
    leaf = scheme.indicators.get(code="D1")
    score_set(subject=subject, indicator=leaf, value=Decimal(50))
    with pytest.raises(ValidationError, match="已有得分"):
        indicator_create(scheme=scheme, parent=leaf, code="D1.1", name="子项", max_score=Decimal(5))
    group = indicator_create(scheme=scheme, component=leaf.component, code="G", name="组")
    indicator_create(scheme=scheme, parent=group, code="G.1", name="子", max_score=Decimal(5))
    with pytest.raises(ValidationError, match="末级指标"):
        score_set(subject=subject, indicator=group, value=Decimal(1))


def test_three_levels_at_most():
    scheme = make_scheme("s1")
    component = scheme.components.first()
    a = indicator_create(scheme=scheme, component=component, code="A", name="一级")
    b = indicator_create(scheme=scheme, parent=a, code="A.1", name="二级")
    c = indicator_create(scheme=scheme, parent=b, code="A.1.1", name="三级", max_score=Decimal(1))
    assert (a.level, b.level, c.level) == (1, 2, 3)
    with pytest.raises(ValidationError, match="最多三级"):
        indicator_create(scheme=scheme, parent=c, code="A.1.1.1", name="四级")


def test_access_roles_on_unit_subtree():
    province = make_unit("某省")
    city = make_unit("某市", parent=province)
    county = make_unit("某县", parent=city)
    other_city = make_unit("另一市", parent=province)
    provincial = make_user("p", role=Role.OFFICE_ADMIN, unit=province, subtree=True)
    city_only = make_user("c", role=Role.OFFICE_ADMIN, unit=city)
    assert access.has_role_on(provincial, Role.OFFICE_ADMIN, county)
    assert access.has_role_on(city_only, Role.OFFICE_ADMIN, city)
    assert not access.has_role_on(city_only, Role.OFFICE_ADMIN, county)
    assert not access.has_role_on(city_only, Role.OFFICE_ADMIN, other_city)
    from kaohe.orgs.models import Unit

    visible = set(
        Unit.objects.filter(access.unit_q(provincial, Role.OFFICE_ADMIN)).values_list(
            "name", flat=True
        )
    )
    assert visible == {"某省", "某市", "某县", "另一市"}


def test_unit_user_sees_only_own_subject(demo, demo_users):
    visible = access.visible_subjects(demo_users["qingfeng"], demo)
    assert list(visible.values_list("unit__name", flat=True)) == ["清丰县"]
    assert access.visible_subjects(demo_users["office"], demo).count() == 46
    assert access.visible_subjects(demo_users["team1"], demo).count() == 0  # no team yet
    other = Subject.objects.get(scheme=demo, unit__name="范县")
    from django.http import Http404

    with pytest.raises(Http404):
        access.access_subject(demo_users["qingfeng"], other.pk)
    with pytest.raises(Http404):
        access.access_subject(demo_users["qingfeng"], 10**9)


def _frozen(scheme, status="frozen"):
    scheme.status = status
    scheme.save(update_fields=["status"])
    return scheme


def test_rules_are_locked_once_results_are_frozen(demo):
    from kaohe.schemes.services import (
        GradeLevelSpec,
        component_update,
        grade_levels_save,
        indicator_delete,
        indicator_update,
        scheme_update,
        subject_withdraw,
    )

    _frozen(demo, "final")
    leaf = demo.indicators.get(code="X5.1")
    attempts = [
        lambda: component_update(component=demo.components.first(), data={"weight": D(50)}),
        lambda: grade_levels_save(scheme=demo, levels=[GradeLevelSpec("优秀", D(95))]),
        lambda: indicator_update(indicator=leaf, data={"max_score": D(3)}),
        lambda: indicator_delete(indicator=leaf),
        lambda: scheme_update(scheme=demo, data={"penalty_cap": D(1)}),
        lambda: subject_withdraw(subject=demo.subjects.first()),
    ]
    for attempt in attempts:
        with pytest.raises(ValidationError, match="已锁定"):
            attempt()
    scheme_update(scheme=demo, data={"issuing_office": "濮阳市法治办"})  # not a rule: allowed


def test_final_results_are_not_recomputed_automatically(demo):
    from kaohe.scoring.models import SubjectResult
    from kaohe.scoring.services import results_ensure_fresh

    _frozen(demo, "final")
    demo.results_stale = True
    demo.save(update_fields=["results_stale"])
    before = list(SubjectResult.objects.filter(scheme=demo).values_list("pk", "grade"))
    results_ensure_fresh(scheme=demo)
    assert list(SubjectResult.objects.filter(scheme=demo).values_list("pk", "grade")) == before


def test_changing_max_score_rechecks_existing_scores(demo):
    from kaohe.schemes.services import indicator_update

    leaf = demo.indicators.get(code="D1")
    with pytest.raises(ValidationError) as error:
        indicator_update(indicator=leaf, data={"max_score": D(5)})
    assert "不符合新的分值" in str(error.value) and "超出范围" in str(error.value)
    leaf.refresh_from_db()
    assert leaf.max_score == D(30)


def test_grade_levels_validation_and_replacement(demo):
    from kaohe.schemes.services import GradeLevelSpec, grade_levels_save

    with pytest.raises(ValidationError, match="必须低于"):
        grade_levels_save(
            scheme=demo, levels=[GradeLevelSpec("优秀", D(90)), GradeLevelSpec("良好", D(95))]
        )
    with pytest.raises(ValidationError, match="重复"):
        grade_levels_save(
            scheme=demo, levels=[GradeLevelSpec("优秀", D(90)), GradeLevelSpec("优秀", D(80))]
        )
    grade_levels_save(
        scheme=demo, levels=[GradeLevelSpec("优秀", D(92), D(30)), GradeLevelSpec("达标", D(0))]
    )
    assert list(demo.grade_levels.values_list("name", "order")) == [("优秀", 0), ("达标", 1)]


def test_veto_must_name_an_existing_grade():
    scheme = make_scheme("s1")
    with pytest.raises(ValidationError, match="不是本方案的等次"):
        indicator_create(
            scheme=scheme,
            component=scheme.components.first(),
            code="V",
            name="否决",
            method="veto",
            veto_grade="很差",
        )
    indicator_create(
        scheme=scheme,
        component=scheme.components.first(),
        code="V",
        name="否决",
        method="veto",
        veto_grade="合格",
    )


def test_tie_break_must_name_components(demo):
    from kaohe.schemes.services import scheme_update

    with pytest.raises(ValidationError, match="onsit"):
        scheme_update(scheme=demo, data={"tie_break": "onsit,daily"})


def test_heading_without_children_is_not_a_missing_score():
    dept = make_category()
    scheme = make_scheme("s1", categories=[dept])
    indicator_create(
        scheme=scheme, component=scheme.components.first(), code="H", name="待细化的一级指标"
    )
    subject = subject_enrol(
        scheme=scheme, unit=make_unit("某局", parent=scheme.owner_unit, category=dept)
    )
    for leaf in scheme.indicators.exclude(code="H"):
        score_set(subject=subject, indicator=leaf, value=D(50))
    from kaohe.scoring.services import results_recompute

    results_recompute(scheme=scheme)
    subject.refresh_from_db()
    assert subject.result.missing_count == 0


def test_batch_save_writes_one_audit_event_per_subject_with_every_change(demo):
    from kaohe.scoring.services import ScoreChange, scores_save

    subject = Subject.objects.get(scheme=demo, unit__name="范县")
    d1, d2 = demo.indicators.get(code="D1"), demo.indicators.get(code="D2")
    ScoreEntry.objects.filter(subject=subject, indicator=d2).delete()
    before_events = AuditEvent.objects.count()
    scores_save(
        subject=subject,
        source="import",
        batch=True,
        changes=[ScoreChange(d1, D("29")), ScoreChange(d2, D("20"))],
    )
    assert AuditEvent.objects.count() == before_events + 1
    event = AuditEvent.objects.latest("id")
    assert event.action == "score.batch" and '"indicator":"D1"' in event.after
    assert '"indicator":"D2"' in event.after and '"before":null' in event.after
    assert ScoreEntry.objects.get(subject=subject, indicator=d2).value == D("20")
    with pytest.raises(ValidationError):
        scores_save(subject=subject, batch=True, changes=[ScoreChange(d1, D("31"))])
    assert ScoreEntry.objects.get(subject=subject, indicator=d1).value == D("29")
