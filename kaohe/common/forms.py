"""Form fields shared by every app."""

from django import forms
from django.core.exceptions import ValidationError

MAX_ID = 2**63 - 1


def form_copy(instance):
    """A fresh copy for a ModelForm: is_valid() writes into its instance, and the service must
    compare the stored values with the new ones to audit the change (access was checked on
    `instance` already; this only re-reads the row)."""
    return type(instance).objects.get(pk=instance.pk)


class ModelMultipleIdsField(forms.ModelMultipleChoiceField):
    """A ModelMultipleChoiceField that refuses ids a database column cannot hold.

    Django checks `pk__in=[…]`, which on SQLite raises OverflowError (a 500) for a number past
    2⁶³; a value that is not a plain positive id gets the field's own "invalid choice" message.
    """

    def _check_values(self, value):
        for pk in value:
            text = str(pk)
            if not (text.isascii() and text.isdigit() and 0 < int(text) <= MAX_ID):
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": text[:32]},
                )
        return super()._check_values(value)
