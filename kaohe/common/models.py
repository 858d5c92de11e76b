"""Abstract base models shared by every app, and the text guard every domain table has."""

import re

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

# C0 control characters except tab, line feed and carriage return, and DEL. NUL in particular:
# SQLite stores it, PostgreSQL refuses it, so a backup would not restore across databases.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def no_control_characters(value) -> None:
    """Validator: refuse NUL and other control characters (tab and line breaks are fine)."""
    if isinstance(value, str) and CONTROL_CHARACTERS.search(value):
        raise ValidationError(gettext("不能包含控制字符（如 NUL）。"), code="control_characters")


def text_field_errors(instance, exclude=(), only=None) -> dict:
    """{field: [message]} for text fields holding control characters or over max_length
    (`only`: just these fields, e.g. a save's update_fields)."""
    errors = {}
    for field in instance._meta.concrete_fields:
        if not isinstance(field, models.CharField | models.TextField) or field.name in exclude:
            continue
        if only is not None and field.name not in only:
            continue
        value = getattr(instance, field.attname)
        if not isinstance(value, str):
            continue
        if CONTROL_CHARACTERS.search(value):
            errors[field.name] = [
                (
                    gettext("%(verbose_name)s不能包含控制字符（如 NUL）。")
                    % {"verbose_name": field.verbose_name}
                )
            ]
        elif field.max_length and len(value) > field.max_length:
            errors[field.name] = [
                (
                    gettext("%(verbose_name)s最多 %(max_length)s 个字符（现为 %(n_value)s 个）。")
                    % {
                        "verbose_name": field.verbose_name,
                        "max_length": field.max_length,
                        "n_value": len(value),
                    }
                )
            ]
    return errors


class TextGuardMixin:
    """Every save and full_clean refuses control characters and over-long text, in one place,
    whichever view or import path the value came from (SQLite would store what PostgreSQL
    refuses)."""

    def clean_fields(self, exclude=None):
        errors = {}
        try:
            super().clean_fields(exclude=exclude)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        for name, messages in text_field_errors(self, exclude or ()).items():
            errors.setdefault(name, messages)
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        # A save of some fields checks only those: an old row is never stuck on another field.
        only = kwargs.get("update_fields")
        errors = text_field_errors(self, only=set(only) if only is not None else None)
        if errors:
            raise ValidationError(errors)
        super().save(*args, **kwargs)


class TimeStampedModel(TextGuardMixin, models.Model):
    """Adds created/updated timestamps; every domain table has them."""

    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        abstract = True
