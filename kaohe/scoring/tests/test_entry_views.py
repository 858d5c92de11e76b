"""The score-entry page: saving, refusals, versions, partial posts, locked schemes, teams."""

from decimal import Decimal

import pytest
from django.test import Client

from kaohe.schemes.models import Scheme, ScoreEntry, Subject

pytestmark = pytest.mark.django_db


@pytest.fixture
def scheme(demo):
    return demo


def _subject(scheme, unit_name):
    return Subject.objects.get(scheme=scheme, unit__name=unit_name)


def _url(subject):
    return f"/results/subject/{subject.pk}/scores/"


def _version(subject, leaf) -> str:
    entry = ScoreEntry.objects.filter(subject=subject, indicator=leaf).first()
    return str(entry.version if entry else 0)


def test_score_entry_saves_and_changes_results(office_client, scheme):
    subject = _subject(scheme, "华龙区")
    leaf = scheme.indicators.get(code="D1")
    entry = ScoreEntry.objects.get(subject=subject, indicator=leaf)
    response = office_client.post(
        _url(subject),
        {
            f"value_{leaf.pk}": "30",
            f"note_{leaf.pk}": "专项工作全部完成",
            f"version_{leaf.pk}": str(entry.version),
        },
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.value == Decimal("30") and entry.note == "专项工作全部完成"
    assert entry.entered_by.username == "office" and entry.version == 2
    page = office_client.get(f"/results/subject/{subject.pk}/").content.decode()
    assert "专项工作全部完成" in page and "office" in page or "王主任" in page


def test_score_above_max_is_refused_and_nothing_saved(office_client, scheme):
    subject = _subject(scheme, "华龙区")
    d1, d2 = scheme.indicators.get(code="D1"), scheme.indicators.get(code="D2")
    before = dict(ScoreEntry.objects.filter(subject=subject).values_list("indicator_id", "value"))
    response = office_client.post(
        _url(subject),
        {
            f"value_{d1.pk}": "20",
            f"version_{d1.pk}": _version(subject, d1),
            f"value_{d2.pk}": "26",
            f"version_{d2.pk}": _version(subject, d2),
        },
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "超出范围" in text and "D2" in text
    after = dict(ScoreEntry.objects.filter(subject=subject).values_list("indicator_id", "value"))
    assert after == before


def test_non_number_is_refused_with_message(office_client, scheme):
    subject = _subject(scheme, "华龙区")
    d1 = scheme.indicators.get(code="D1")
    response = office_client.post(_url(subject), {f"value_{d1.pk}": "很好"})
    assert "不是数字" in response.content.decode()


def test_stale_version_is_a_conflict(office_client, scheme):
    subject = _subject(scheme, "华龙区")
    d1 = scheme.indicators.get(code="D1")
    response = office_client.post(
        _url(subject),
        {f"value_{d1.pk}": "21", f"version_{d1.pk}": "7"},
        follow=True,
    )
    assert "已被他人修改" in response.content.decode()


def test_team_member_cannot_change_daily_scores(scheme, demo_users):
    from kaohe.onsite.models import Team, Visit

    team_user = demo_users["team1"]
    subject = _subject(scheme, "清丰县")
    Visit.objects.create(
        team=Team.objects.create(scheme=scheme, name="一组", leader=team_user), subject=subject
    )
    daily, onsite = scheme.indicators.get(code="D1"), scheme.indicators.get(code="X1.1")
    before = ScoreEntry.objects.get(subject=subject, indicator=daily).value
    client = Client()
    client.force_login(team_user)
    client.post(
        _url(subject),
        {
            f"value_{daily.pk}": "1",
            f"version_{daily.pk}": _version(subject, daily),
            f"value_{onsite.pk}": "8",
            f"version_{onsite.pk}": _version(subject, onsite),
        },
    )
    assert ScoreEntry.objects.get(subject=subject, indicator=daily).value == before
    assert ScoreEntry.objects.get(subject=subject, indicator=onsite).value == Decimal("8")


def test_partial_post_changes_only_the_fields_sent(office_client, scheme):
    """Issue 11: one value_N cleared every other score of the subject."""
    subject = _subject(scheme, "华龙区")
    d1 = scheme.indicators.get(code="D1")
    before = dict(ScoreEntry.objects.filter(subject=subject).values_list("indicator_id", "value"))
    response = office_client.post(
        _url(subject), {f"value_{d1.pk}": "21", f"version_{d1.pk}": _version(subject, d1)}
    )
    assert response.status_code == 302
    after = dict(ScoreEntry.objects.filter(subject=subject).values_list("indicator_id", "value"))
    assert after.pop(d1.pk) == Decimal("21")
    before.pop(d1.pk)
    assert after == before and len(after) > 10


def test_emptied_field_without_clear_tick_is_refused(office_client, scheme):
    subject = _subject(scheme, "华龙区")
    d1 = scheme.indicators.get(code="D1")
    version = _version(subject, d1)
    response = office_client.post(
        _url(subject), {f"value_{d1.pk}": "", f"version_{d1.pk}": version}
    )
    assert response.status_code == 200 and "清除" in response.content.decode()
    assert ScoreEntry.objects.filter(subject=subject, indicator=d1).exists()
    response = office_client.post(
        _url(subject), {f"value_{d1.pk}": "", f"clear_{d1.pk}": "1", f"version_{d1.pk}": version}
    )
    assert response.status_code == 302
    assert not ScoreEntry.objects.filter(subject=subject, indicator=d1).exists()


@pytest.mark.parametrize("version", [None, "", "abc", "-1", "٣", "99999999999999999999"])
def test_change_without_valid_version_is_refused(office_client, scheme, version):
    subject = _subject(scheme, "华龙区")
    d1 = scheme.indicators.get(code="D1")
    before = ScoreEntry.objects.get(subject=subject, indicator=d1).value
    data = {f"value_{d1.pk}": "22"}
    if version is not None:
        data[f"version_{d1.pk}"] = version
    response = office_client.post(_url(subject), data)
    assert response.status_code == 200 and "版本号" in response.content.decode()
    assert ScoreEntry.objects.get(subject=subject, indicator=d1).value == before


@pytest.mark.parametrize("status", ["frozen", "publicity", "final"])
def test_locked_scheme_shows_why_and_disables_inputs(office_client, scheme, status):
    Scheme.objects.filter(pk=scheme.pk).update(status=status)
    subject = _subject(scheme, "华龙区")
    d1 = scheme.indicators.get(code="D1")
    page = office_client.get(_url(subject)).content.decode()
    assert "当前不能录入" in page and "保存全部" not in page
    assert f'name="value_{d1.pk}"' in page and " disabled" in page
    before = ScoreEntry.objects.get(subject=subject, indicator=d1).value
    response = office_client.post(
        _url(subject), {f"value_{d1.pk}": "22", f"version_{d1.pk}": _version(subject, d1)}
    )
    assert response.status_code == 200
    assert ScoreEntry.objects.get(subject=subject, indicator=d1).value == before
