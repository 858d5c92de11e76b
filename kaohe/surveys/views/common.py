"""Small helpers shared by the office views."""

from django.contrib import messages
from django.core.exceptions import ValidationError

from kaohe.schemes import access


def flash(request, exc: ValidationError) -> None:
    messages.error(request, "；".join(exc.messages))


def office_scheme(user, scheme_id):
    """The scheme, for its office only (the same 404 for missing and not yours)."""
    return access.access_scheme(user, scheme_id, manage=True)


def int_or_zero(value) -> int:
    """A posted id as an int; anything else is 0 (matches nothing, never a 500)."""
    value = (value or "").strip()
    return int(value) if value.isdigit() and len(value) < 19 else 0
