"""Helpers shared by the scheme pages: error text, saving a form through a service."""

from django.core.exceptions import ValidationError

from kaohe.common.text import join_sentences


def _error_text(error: ValidationError) -> str:
    return join_sentences(error.messages)


def _saved(form, call) -> bool:
    """Run a service for a valid form; a refusal becomes the form's error, never a 500."""
    try:
        call()
    except ValidationError as error:
        form.add_error(None, error if hasattr(error, "error_dict") else _error_text(error))
        return False
    return True
