"""Password policy: validators and the expiry rule, configured from settings (see docs/security.md).

Two policies: "classic" (等保 style: 8+ characters from 3 of 4 classes, 90-day rotation, no
reuse of the last 5) and "asvs" (OWASP ASVS: length over composition, no forced rotation).
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's, with its message in the UI language: Django 5.2 changed the message's msgid
    and its zh_Hans catalogue still has the old one, so "This password is too short" showed in
    English on the Chinese UI."""

    def get_error_message(self):
        return gettext("密码太短：至少需要 %(min_length)d 个字符。") % {
            "min_length": self.min_length
        }

    def get_help_text(self):
        return gettext("密码至少 %(min_length)d 个字符。") % {"min_length": self.min_length}


CLASSES = (
    ("小写字母", str.islower),
    ("大写字母", str.isupper),
    ("数字", str.isdigit),
    ("符号", lambda c: not c.isalnum()),
)


class CharacterClassesValidator:
    """At least `min_classes` of: lower case, upper case, digits, symbols."""

    def __init__(self, min_classes: int = 3):
        self.min_classes = min_classes

    def validate(self, password, user=None):
        used = sum(1 for _, test in CLASSES if any(test(c) for c in password))
        if used < self.min_classes:
            raise ValidationError(
                (
                    gettext("密码须包含大写字母、小写字母、数字、符号中的至少 %(min_classes)s 类。")
                    % {"min_classes": self.min_classes}
                ),
                code="password_too_simple",
            )

    def get_help_text(self):
        return gettext("密码须包含大写字母、小写字母、数字、符号中的至少 %(min_classes)s 类。") % {
            "min_classes": self.min_classes
        }


class MaximumLengthValidator:
    """Long passphrases are welcome, but not unbounded input to the hasher."""

    def __init__(self, max_length: int = 128):
        self.max_length = max_length

    def validate(self, password, user=None):
        if len(password) > self.max_length:
            raise ValidationError(
                (gettext("密码不能超过 %(max_length)s 个字符。") % {"max_length": self.max_length}),
                code="password_too_long",
            )

    def get_help_text(self):
        return gettext("密码不超过 %(max_length)s 个字符。") % {"max_length": self.max_length}


class NotUsernameValidator:
    """The password must not contain the username (forwards or backwards)."""

    def validate(self, password, user=None):
        username = (getattr(user, "username", "") or "").lower()
        if len(username) >= 3 and (
            username in password.lower() or username[::-1] in password.lower()
        ):
            raise ValidationError(
                gettext("密码不能包含用户名。"), code="password_contains_username"
            )

    def get_help_text(self):
        return gettext("密码不能包含用户名。")


class PasswordHistoryValidator:
    """Not one of the last `count` passwords; records each new password's hash when it changes."""

    def __init__(self, count: int = 5):
        self.count = count

    def _recent(self, user):
        return list(user.password_history.all()[: self.count])

    def validate(self, password, user=None):
        if user is None or user.pk is None or self.count <= 0:
            return
        hashes = [h.password for h in self._recent(user)]
        if user.password and user.password not in hashes:
            hashes.insert(0, user.password)
        for encoded in hashes[: self.count]:
            if check_password(password, encoded):
                raise ValidationError(
                    (
                        gettext("新密码不能与最近 %(count)s 次使用过的密码相同。")
                        % {"count": self.count}
                    ),
                    code="password_reused",
                )

    def password_changed(self, password, user=None):
        from .models import PasswordHistory

        if user is None or user.pk is None or not user.password or self.count <= 0:
            return
        PasswordHistory.objects.create(user=user, password=user.password)
        stale = user.password_history.values_list("pk", flat=True)[self.count :]
        PasswordHistory.objects.filter(pk__in=list(stale)).delete()

    def get_help_text(self):
        return gettext("不能与最近 %(count)s 次使用过的密码相同。") % {"count": self.count}


def password_expired(user) -> bool:
    """True when the policy rotates passwords and this user's is older than allowed."""
    days = getattr(settings, "KAOHE_PASSWORD_MAX_AGE_DAYS", 0)
    if not days or user.password_changed_at is None:
        return False
    return timezone.now() - user.password_changed_at > timedelta(days=days)


def must_change_password(user) -> bool:
    return bool(getattr(user, "must_change_password", False)) or password_expired(user)
