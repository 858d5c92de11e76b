"""Small helpers shared by the office views."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from ..selectors import office_scheme

__all__ = ["flash", "int_or_zero", "office_scheme"]

from kaohe.common.text import join_sentences


def flash(request, exc: ValidationError) -> None:
    messages.error(request, join_sentences(exc.messages))


def form_errors(form) -> list[str]:
    """Each invalid field as "label：its errors", in the language of the page."""
    out = []
    for name, errors in form.errors.items():
        field = form.fields.get(name)
        text = join_sentences(errors)
        if field is not None:
            text = _("%(field)s：%(errors)s") % {"field": field.label or name, "errors": text}
        out.append(text)
    return out


def int_or_zero(value) -> int:
    """A posted id as an int; anything else is 0 (matches nothing, never a 500)."""
    value = (value or "").strip()
    return int(value) if value.isdigit() and len(value) < 19 else 0
