"""Small helpers shared by the office views."""

from django.contrib import messages
from django.core.exceptions import ValidationError

from ..selectors import office_scheme

__all__ = ["flash", "int_or_zero", "office_scheme"]


def flash(request, exc: ValidationError) -> None:
    messages.error(request, "；".join(exc.messages))


def int_or_zero(value) -> int:
    """A posted id as an int; anything else is 0 (matches nothing, never a 500)."""
    value = (value or "").strip()
    return int(value) if value.isdigit() and len(value) < 19 else 0
