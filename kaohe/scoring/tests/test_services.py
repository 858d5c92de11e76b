"""Results service and selectors against the database: the demo, audit, query counts."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kaohe.audit.models import AuditEvent
from kaohe.audit.services import audit_verify
from kaohe.common.testing import make_category, make_scheme, make_unit
from kaohe.demo import seed2020 as seed
from kaohe.schemes.models import ScoreEntry, Subject
from kaohe.schemes.services import subject_enrol
from kaohe.scoring.models import SubjectResult
from kaohe.scoring.services import results_ensure_fresh, results_recompute, score_set

pytestmark = pytest.mark.django_db


def test_demo_reproduces_the_notice(demo):
    results = SubjectResult.objects.filter(scheme=demo).select_related(
        "subject__unit", "grading_category"
    )
    by_category: dict[str, dict[str, set]] = {}
    for result in results:
        by_category.setdefault(result.grading_category.name, {}).setdefault(
            result.grade, set()
        ).add(result.subject.unit.name)
    assert by_category["县(区)"] == {
        "优秀": set(seed.COUNTY_EXCELLENT),
        "良好": set(seed.COUNTY_GOOD),
    }
    assert by_category["市直部门"] == {
        "优秀": set(seed.DEPARTMENTS_EXCELLENT),
        "良好": set(seed.DEPARTMENTS_GOOD),
    }
    assert len(seed.DEPARTMENTS_EXCELLENT) == 23 and len(seed.DEPARTMENTS_GOOD) == 14


def test_demo_scheme_shape(demo):
    assert demo.code == "puyang-2020" and demo.name == "2020年度依法行政考核"
    weights = {c.name: c.weight for c in demo.components.all()}
    assert weights == {"日常考核": 60, "实地考核": 30, "满意度调查": 10}
    onsite = demo.indicators.filter(component__code="onsite")
    assert onsite.filter(level=1).count() == 5 and onsite.filter(level=2).count() == 14
    penalty = onsite.get(name__startswith="深入群众了解情况")
    assert penalty.method == "penalty" and penalty.parent.name == "暗访调查"
    daily = set(demo.indicators.filter(component__code="daily").values_list("name", flat=True))
    assert daily == {name for _, name, _ in seed.DAILY_ITEMS}
    assert demo.subjects.count() == 46


def test_department_onsite_is_scaled_to_100(demo):
    """市直部门 do not have 抽查1个下级政府 (10 points): their on-site max is 90, scaled."""
    result = SubjectResult.objects.get(subject__unit__name="市司法局")
    onsite = result.components.get(component__code="onsite")
    assert onsite.maximum == Decimal(90)
    assert onsite.score == (onsite.raw * 100 / 90).quantize(Decimal("1E-10"))


def test_score_change_marks_stale_and_recompute_moves_rank_with_audit(demo):
    subject = Subject.objects.get(scheme=demo, unit__name="市林业局")
    before = subject.result.rank
    for leaf in demo.indicators.filter(children__isnull=True, method="entered"):
        if not leaf.applies_to.exists():
            score_set(subject=subject, indicator=leaf, value=leaf.max_score, note="满分")
    demo.refresh_from_db()
    assert demo.results_stale
    results_ensure_fresh(scheme=demo)
    subject.refresh_from_db()
    assert subject.result.rank < before
    event = AuditEvent.objects.filter(action="results.recompute").latest("id")
    assert str(subject.pk) in event.after
    assert audit_verify().ok


def test_score_outside_range_is_refused_with_message(demo):
    subject = Subject.objects.get(scheme=demo, unit__name="清丰县")
    leaf = demo.indicators.get(code="D1")
    with pytest.raises(ValidationError) as error:
        score_set(subject=subject, indicator=leaf, value=Decimal("30.5"))
    assert "超出范围" in str(error.value) and "30" in str(error.value)


def test_final_scheme_refuses_score_changes_frozen_needs_reason(demo):
    subject = Subject.objects.get(scheme=demo, unit__name="清丰县")
    leaf = demo.indicators.get(code="D1")
    demo.status = "frozen"
    demo.save()
    subject.scheme.refresh_from_db()
    with pytest.raises(ValidationError, match="冻结"):
        score_set(subject=subject, indicator=leaf, value=Decimal(20))
    score_set(subject=subject, indicator=leaf, value=Decimal(20), override_reason="复核：异议成立")
    demo.status = "final"
    demo.save()
    subject.scheme.refresh_from_db()
    with pytest.raises(ValidationError, match="定稿"):
        score_set(subject=subject, indicator=leaf, value=Decimal(21), override_reason="x")
    assert ScoreEntry.objects.get(subject=subject, indicator=leaf).value == Decimal(20)


def _scheme_with_subjects(code, count):
    category = make_category()
    scheme = make_scheme(code, categories=[category])
    for index in range(count):
        unit = make_unit(f"{code}-单位{index}", parent=scheme.owner_unit, category=category)
        subject = subject_enrol(scheme=scheme, unit=unit)
        for leaf in scheme.indicators.all():
            score_set(subject=subject, indicator=leaf, value=Decimal(50 + index % 50))
    return scheme


def test_recompute_query_count_does_not_grow_with_subjects():
    small = _scheme_with_subjects("small", 3)
    large = _scheme_with_subjects("large", 30)
    with CaptureQueriesContext(connection) as few:
        results_recompute(scheme=small)
    with CaptureQueriesContext(connection) as many:
        results_recompute(scheme=large)
    assert len(many) == len(few), (len(few), len(many))
    assert SubjectResult.objects.filter(scheme=large).count() == 30


def test_results_page_query_count_is_fixed(client, django_user_model):
    from kaohe.accounts.choices import Role
    from kaohe.common.testing import make_user

    small = _scheme_with_subjects("small", 3)
    large = _scheme_with_subjects("large", 30)
    user = make_user("boss", role=Role.OFFICE_ADMIN, unit=make_unit("省"), subtree=False)
    for scheme in (small, large):
        from kaohe.accounts.services import role_assign

        role_assign(user=user, role=Role.OFFICE_ADMIN, unit=scheme.owner_unit)
        results_recompute(scheme=scheme)
    client.force_login(user)
    counts = []
    for scheme in (small, large):
        client.get(f"/results/{scheme.pk}/")  # warm session/caches
        with CaptureQueriesContext(connection) as queries:
            response = client.get(f"/results/{scheme.pk}/")
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
