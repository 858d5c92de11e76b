"""Respondent pages: answering, once per device/code, windows, quotas and bad input."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from kaohe.surveys.factories import make_setup
from kaohe.surveys.models import Answer, Response, SurveyTarget
from kaohe.surveys.services.surveys import invitations_create

from .helpers import answers, idem_of, page, respondent, submit

pytestmark = pytest.mark.django_db


def test_answer_through_link_then_thanks():
    setup = make_setup()
    client = respondent()
    first = page(client, setup.target)
    body = first.content.decode()
    assert first.status_code == 200
    assert setup.subjects[0].unit.name in body and "截止时间" in body
    assert "bootstrap" not in body  # the light page, not the office layout
    response, _ = submit(client, setup)
    assert response.status_code == 302 and response["Location"].endswith("/thanks/")
    thanks = client.get(response["Location"])
    assert "提交成功" in thanks.content.decode()
    stored = Response.objects.get()
    assert stored.channel == "link" and stored.day == timezone.localdate()
    assert SurveyTarget.objects.get(pk=setup.target.pk).answers_count == 1


def test_same_device_answers_once():
    setup = make_setup()
    client = respondent()
    submit(client, setup)
    again, _ = submit(client, setup)
    assert again.status_code == 409
    assert "本设备已经提交过" in again.content.decode()
    assert Response.objects.count() == 1


def test_retry_with_same_idempotency_key_counts_once():
    setup = make_setup()
    client = respondent()
    first, payload = submit(client, setup)
    retry = client.post(f"/s/{setup.target.token}/", payload)
    assert first.status_code == retry.status_code == 302
    assert Response.objects.count() == 1


def test_post_without_device_cookie_is_refused():
    setup = make_setup()
    client = respondent()
    data = {"idem": "k" * 20, **answers(setup)}
    response = client.post(f"/s/{setup.target.token}/", data)
    assert response.status_code == 409 and Response.objects.count() == 0


def test_window_before_and_after():
    setup = make_setup(open_now=False)
    client = respondent()
    body = page(client, setup.target).content.decode()
    assert "调查将于" in body and "<form" not in body
    with time_machine.travel(timezone.now() + timedelta(days=5)):
        client = respondent()
        body = page(client, setup.target).content.decode()
        assert "调查已结束" in body
        data = {"idem": "x" * 20, **answers(setup)}
        assert client.post(f"/s/{setup.target.token}/", data).status_code == 409
    assert Response.objects.count() == 0


def test_frozen_scheme_takes_no_answers():
    setup = make_setup()
    setup.scheme.status = "frozen"
    setup.scheme.save()
    client = respondent()
    assert "调查已结束" in page(client, setup.target).content.decode()
    refused, _ = submit(client, setup)
    assert refused.status_code == 409 and Response.objects.count() == 0


def test_single_use_code_and_forged_code_same_message():
    setup = make_setup(invitation_only=True)
    [invitation] = invitations_create(
        survey=setup.survey, count=1, actor=setup.office, target=setup.target
    )
    ok, _ = submit(respondent(), setup, code=invitation.code)
    assert ok.status_code == 302
    used, _ = submit(respondent(), setup, code=invitation.code)
    forged, _ = submit(respondent(), setup, code="ABCDEFGH")
    empty, _ = submit(respondent(), setup, code="")
    for refused in (used, forged, empty):
        assert refused.status_code == 409
        assert "邀请码无效或已被使用" in refused.content.decode()
    assert Response.objects.get().channel == "invitation"
    invitation.refresh_from_db()
    assert invitation.used and invitation.used_on == timezone.localdate()


def test_code_of_another_subject_is_refused():
    setup = make_setup(invitation_only=True)
    other = setup.survey.targets.get(subject=setup.subjects[1])
    [invitation] = invitations_create(
        survey=setup.survey, count=1, actor=setup.office, target=other
    )
    refused, _ = submit(respondent(), setup, code=invitation.code)
    assert refused.status_code == 409 and Response.objects.count() == 0


def test_quota_refuses_past_the_limit():
    setup = make_setup(quota=2)
    codes = [submit(respondent(), setup)[0].status_code for _ in range(3)]
    assert codes == [302, 302, 409]
    assert Response.objects.count() == 2
    body = page(respondent(), setup.target).content.decode()
    assert "已达上限" in body and "<form" not in body


def test_rate_limit_per_address_in_cache_only(settings):
    settings.KAOHE_SURVEY_RATE_PER_HOUR = 2
    setup = make_setup()
    statuses = [submit(respondent(), setup)[0].status_code for _ in range(3)]
    assert statuses == [302, 302, 429]


def test_missing_required_answer():
    setup = make_setup()
    data = answers(setup)
    del data[f"q{setup.rating.pk}"]
    response, _ = submit(respondent(), setup, data=data)
    assert response.status_code == 400 and "此题必答" in response.content.decode()
    assert Response.objects.count() == 0


def test_rating_outside_the_scale_and_foreign_choice():
    setup = make_setup()
    for bad in ("999999", str(setup.single.choices.first().pk), "abc"):
        data = answers(setup)
        data[f"q{setup.rating.pk}"] = bad
        response, _ = submit(respondent(), setup, data=data)
        assert response.status_code == 400, bad
        assert "不在本题的选项中" in response.content.decode()
    assert Response.objects.count() == 0


def test_two_values_for_a_single_choice_question():
    setup = make_setup()
    data = answers(setup)
    data[f"q{setup.single.pk}"] = [c.pk for c in setup.single.choices.all()]
    response, _ = submit(respondent(), setup, data=data)
    assert response.status_code == 400 and Response.objects.count() == 0


def test_answer_for_a_question_not_in_the_survey():
    setup = make_setup()
    other = make_setup("other")
    data = answers(setup)
    data[f"q{other.rating.pk}"] = other.rating.choices.first().pk
    response, _ = submit(respondent(), setup, data=data)
    assert response.status_code == 400
    assert "不属于本问卷" in response.content.decode()
    assert Response.objects.count() == 0


def test_oversized_text_is_refused_with_a_message():
    setup = make_setup()
    response, _ = submit(respondent(), setup, data=answers(setup, text="字" * 51))
    assert response.status_code == 400 and "最多 50 字" in response.content.decode()
    assert Response.objects.count() == 0


def test_script_is_stored_as_text_and_shown_escaped(client):
    setup = make_setup()
    script = "<script>alert(1)</script>"
    submit(respondent(), setup, data=answers(setup, text=script))
    assert Answer.objects.get(question=setup.text).text == script
    client.force_login(setup.office)
    body = client.get(f"/surveys/surveys/{setup.survey.pk}/report/").content.decode()
    assert script not in body and "&lt;script&gt;alert(1)&lt;/script&gt;" in body


def test_errors_keep_the_idempotency_key_and_answers():
    setup = make_setup()
    client = respondent()
    first = page(client, setup.target)
    data = answers(setup)
    del data[f"q{setup.single.pk}"]
    again = client.post(f"/s/{setup.target.token}/", {"idem": idem_of(first), **data})
    assert idem_of(again) == idem_of(first)
    assert "checked" in again.content.decode()


def test_unknown_tokens_give_nothing_away():
    setup = make_setup()
    client = respondent()
    for url in ("/s/nope/", "/s/u/nope/", "/s/" + "x" * 40 + "/", "/s/nope/thanks/"):
        response = client.get(url)
        assert response.status_code == 404
        body = response.content.decode()
        assert setup.subjects[0].unit.name not in body and setup.scheme.name not in body


def test_pick_unit_link():
    setup = make_setup()
    setup.survey.mode = "pick_unit"
    setup.survey.save()
    client = respondent()
    first = client.get(f"/s/u/{setup.survey.token}/")
    body = first.content.decode()
    assert setup.subjects[1].unit.name in body
    other = setup.survey.targets.get(subject=setup.subjects[1])
    missing = client.post(f"/s/u/{setup.survey.token}/", {"idem": idem_of(first), **answers(setup)})
    assert missing.status_code == 400 and "请选择" in missing.content.decode()
    data = {"idem": idem_of(first), "unit": other.pk, **answers(setup)}
    done = client.post(f"/s/u/{setup.survey.token}/", data)
    assert done.status_code == 302
    assert Response.objects.get().target == other


def test_burst_of_identical_answers_is_reported(django_capture_on_commit_callbacks, client):
    from kaohe.surveys.models import DuplicateBurst

    setup = make_setup()
    for _ in range(4):
        with django_capture_on_commit_callbacks(execute=True):
            submit(respondent(), setup)
    with django_capture_on_commit_callbacks(execute=True):
        submit(respondent(), setup, data=answers(setup, rating="非常满意"))
    burst = DuplicateBurst.objects.get()
    assert burst.count == 4 and burst.target == setup.target
    assert burst.day == timezone.localdate() and len(burst.window) == 11  # "10:20-10:30"
    client.force_login(setup.office)
    page_text = client.get(f"/surveys/surveys/{setup.survey.pk}/").content.decode()
    assert burst.window in page_text


def test_nul_characters_and_odd_tokens_are_refused_not_errors():
    setup = make_setup(invitation_only=True)
    client = respondent()
    for url in ("/s/a%00b/", "/s/u/a%00b/", "/s/%E4%B8%AD/"):
        assert client.get(url).status_code == 404
    refused, _ = submit(client, setup, code="AB\x00CD")
    assert refused.status_code == 409 and "邀请码无效" in refused.content.decode()
    setup.survey.invitation_only = False
    setup.survey.save()
    bad, _ = submit(respondent(), setup, data=answers(setup, text="a\x00b"))
    assert bad.status_code == 400 and "无效字符" in bad.content.decode()
    assert Response.objects.count() == 0


def test_a_broken_cache_never_blocks_respondents(monkeypatch, caplog, settings):
    from kaohe.surveys import protection

    settings.KAOHE_SURVEY_RATE_PER_HOUR = 1

    def broken():
        raise ConnectionError("cache down")

    monkeypatch.setattr(protection, "cache", broken)
    setup = make_setup()
    statuses = [submit(respondent(), setup)[0].status_code for _ in range(2)]
    assert statuses == [302, 302]
    assert "限速计数失败" in caplog.text and "203.0.113.77" not in caplog.text


def test_rate_limit_counts_in_the_shared_survey_cache(settings):
    from django.core.cache import caches

    settings.KAOHE_SURVEY_RATE_PER_HOUR = 5
    setup = make_setup()
    submit(respondent(), setup)
    store = caches["surveys"]
    assert store.__class__.__name__ in ("DatabaseCache", "RedisCache")
    from kaohe.surveys.protection import _address_key

    assert store.get(_address_key("203.0.113.77", setup.survey.pk)) == 1
