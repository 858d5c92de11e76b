"""An import file goes through the one upload checker (kaohe.common.uploads); a refusal
becomes ImportFailed so the import page and the command line report it like any other problem."""

from django.core.exceptions import ValidationError

from kaohe.common.uploads import (
    IMPORT_DOCX,
    IMPORT_TABLE,
    IMPORT_XLSX,
    CheckedFile,
    check_bytes,
)

from .problems import ImportFailed

POLICIES = {
    ("xlsx", "docx"): IMPORT_TABLE,
    ("xlsx",): IMPORT_XLSX,
    ("docx",): IMPORT_DOCX,
}


def check_upload(
    name: str, data: bytes, *, allowed: tuple[str, ...] = ("xlsx", "docx")
) -> CheckedFile:
    """The checked file, or ImportFailed naming the file and what to do."""
    try:
        return check_bytes(name, data, POLICIES[tuple(allowed)])
    except ValidationError as exc:
        raise ImportFailed(exc.messages) from exc
