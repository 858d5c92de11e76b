"""Numbers as people read them: two decimals on the page, the exact value on hover."""

from decimal import Decimal, InvalidOperation

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def num2(value):
    """84.300000 → "84.30" (title "精确值 84.3"); None → "—"."""
    if value is None or value == "":
        return "—"
    try:
        exact = Decimal(str(value))
    except InvalidOperation:
        return value
    shown = f"{exact.quantize(Decimal('0.01')):f}"
    plain = f"{exact.normalize():f}" if exact else "0"
    if plain == shown.rstrip("0").rstrip(".") or plain == shown:
        return shown
    return format_html('<span title="{} {}">{}</span>', _("精确值"), plain, shown)


@register.filter
def exact(value):
    """The exact value without trailing zeros: 89.99500000 → 89.995."""
    if value is None or value == "":
        return "—"
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return value
    return f"{number.normalize():f}" if number else "0"
