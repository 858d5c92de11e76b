"""Password policy: composition, username, history, expiry and the ASVS alternative."""

from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.utils import timezone

from kaohe.accounts.models import PasswordHistory
from kaohe.accounts.passwords import (
    CharacterClassesValidator,
    NotUsernameValidator,
    PasswordHistoryValidator,
    password_expired,
)
from kaohe.accounts.services import password_change
from kaohe.common.testing import make_unit, make_user

pytestmark = pytest.mark.django_db


def test_default_policy_wants_three_classes_and_eight_chars():
    user = make_user("zhang")
    for weak in ("abcdefgh", "abcd1234", "Ab1!", "12345678"):
        with pytest.raises(ValidationError):
            validate_password(weak, user)
    validate_password("Qz7-mountain", user)  # 4 classes
    validate_password("qz7-mountain", user)  # 3 classes


def test_classes_validator_counts_classes():
    v = CharacterClassesValidator(3)
    v.validate("abcDEF12")
    with pytest.raises(ValidationError, match="至少 3 类"):
        v.validate("abcdefg1")


def test_password_may_not_contain_username():
    user = make_user("liuwei")
    with pytest.raises(ValidationError, match="用户名"):
        NotUsernameValidator().validate("Xliuwei#2020", user)
    with pytest.raises(ValidationError, match="用户名"):
        NotUsernameValidator().validate("iewuil#2020X", user)


def test_common_password_refused():
    with pytest.raises(ValidationError):
        validate_password("Password1", make_user("wang"))


def test_last_five_passwords_cannot_be_reused():
    user = make_user("reuse")
    used = ["Aa1!first-pw", "Aa1!second-pw", "Aa1!third-pw", "Aa1!fourth-pw", "Aa1!fifth-pw"]
    for pw in used:
        password_change(user=user, password=pw)
    assert PasswordHistory.objects.filter(user=user).count() == 5
    for pw in used:
        with pytest.raises(ValidationError, match="最近 5 次"):
            password_change(user=user, password=pw)
    # The one before those five (the factory's) has dropped out of the history.
    password_change(user=user, password="Test-pass-123")
    assert PasswordHistory.objects.filter(user=user).count() == 5


def test_history_validator_is_harmless_for_new_users():
    PasswordHistoryValidator(5).validate("Whatever-1a", None)


@override_settings(KAOHE_PASSWORD_MAX_AGE_DAYS=90)
def test_password_expires_after_90_days():
    user = make_user("old")
    assert not password_expired(user)
    with time_machine.travel(timezone.now() + timedelta(days=91)):
        assert password_expired(user)


@override_settings(KAOHE_PASSWORD_MAX_AGE_DAYS=0)
def test_asvs_mode_has_no_rotation():
    user = make_user("asvs")
    with time_machine.travel(timezone.now() + timedelta(days=3650)):
        assert not password_expired(user)


@override_settings(
    AUTH_PASSWORD_VALIDATORS=[
        {
            "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
            "OPTIONS": {"min_length": 12},
        },
        {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
        {"NAME": "kaohe.accounts.passwords.NotUsernameValidator"},
    ]
)
def test_asvs_style_validators_accept_long_lowercase_passphrase():
    user = make_user("asvs2")
    validate_password("correct horse battery staple", user)
    with pytest.raises(ValidationError):
        validate_password("Aa1!short", user)


def test_settings_build_asvs_policy(monkeypatch):
    """The environment switches the policy: a fresh settings module under KAOHE_PASSWORD_POLICY=asvs."""
    import importlib.util
    import sys

    monkeypatch.setenv("KAOHE_PASSWORD_POLICY", "asvs")
    spec = importlib.util.find_spec("kaohe.settings")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    names = [v["NAME"].rsplit(".", 1)[1] for v in module.AUTH_PASSWORD_VALIDATORS]
    assert "CharacterClassesValidator" not in names
    assert "PasswordHistoryValidator" not in names
    assert module.KAOHE_PASSWORD_MIN_LENGTH == 12
    assert module.KAOHE_PASSWORD_MAX_AGE_DAYS == 0
    assert "kaohe.settings" in sys.modules  # the real settings module is untouched
    make_unit("x")


@pytest.mark.django_db
def test_every_password_message_is_chinese_on_the_chinese_ui():
    """The probe saw "This password is too short" in English on the Chinese UI."""
    import re

    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError
    from django.utils import translation

    from kaohe.accounts.models import User

    user = User(username="zhangsan", email="zhangsan@example.gov.cn")
    with translation.override("zh-hans"):
        for password in ("Ab1", "password", "12345678901", "zhangsan1A!", "abcdefghij"):
            with pytest.raises(ValidationError) as caught:
                validate_password(password, user)
            for message in caught.value.messages:
                assert not re.search(r"[A-Za-z]{4,} [a-z]{2,}", message), message
