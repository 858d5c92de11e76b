"""Small helpers shared by the on-site views."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _

from kaohe.common.decimals import NumberError, parse_number


def error_text(exc: ValidationError) -> str:
    return _("；").join(exc.messages)


def flash_error(request, exc: ValidationError) -> None:
    messages.error(request, error_text(exc))


def parse_date(value: str | None, label: str) -> date | None:
    value = (value or "").strip()
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValidationError(
            _("%(label)s“%(value)s”不是有效日期（格式 2021-01-25）。")
            % {"label": label, "value": value}
        ) from None


def parse_decimal(value: str | None, label: str) -> Decimal | None:
    """The shared number parser (kaohe.common.decimals), its refusal as a form error."""
    try:
        return parse_number(value, label)
    except NumberError as exc:
        raise ValidationError(str(exc)) from None


def require(condition: bool, what: str = _("页面")) -> None:
    """Same 404 as a missing object when the user may see but not change something."""
    if not condition:
        raise Http404(_("%(what)s不存在") % {"what": what})
