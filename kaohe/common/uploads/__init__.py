"""Every uploaded file passes here: one checker, one result type, one storage path policy.

A file is judged by its content, never by its name: the kind is read from the bytes (PDF, images,
audio, Office Open XML, OFD, zip, and the old OLE formats .doc/.xls/.wps/.et), then the caller's
policy says whether that kind is accepted. Macro-enabled Office files, encrypted files, zip bombs,
nested archives and path-traversing members are refused for every policy. The stored name always
ends in the extension of what the content is (a PDF named `poly.html` is stored as `poly.pdf`),
and files are stored under random names (`storage_path`), never the user's.

Messages name the file and say what to do. `check_uploads` checks every file before
the caller stores any of them, so a batch is all or nothing.

The checks are in `checks`, the kinds and per-form policies in `policies`; `sweep` removes stored
files no row points at. Messages are translated (English pages get English messages).
"""

from .checks import (
    DOCX_TYPE,
    EVIDENCE,
    IMPORT_DOCX,
    IMPORT_TABLE,
    IMPORT_XLSX,
    MACRO_MARKERS,
    MACRO_SUFFIXES,
    MATERIALS,
    MAX_MEMBERS,
    MAX_RATIO,
    MB,
    OFFICE_MATERIALS,
    OLD_SUFFIXES,
    OLE_MAGIC,
    WORD_TEMPLATE,
    XLSX_TYPE,
    ZIP_MAGIC,
    CheckedFile,
    UploadPolicy,
    check_bytes,
    check_upload,
    check_uploads,
    clean_name,
    random_name,
    storage_path,
)

__all__ = [
    "CheckedFile",
    "DOCX_TYPE",
    "EVIDENCE",
    "IMPORT_DOCX",
    "IMPORT_TABLE",
    "IMPORT_XLSX",
    "MACRO_MARKERS",
    "MACRO_SUFFIXES",
    "MATERIALS",
    "MAX_MEMBERS",
    "MAX_RATIO",
    "MB",
    "OFFICE_MATERIALS",
    "OLD_SUFFIXES",
    "OLE_MAGIC",
    "UploadPolicy",
    "WORD_TEMPLATE",
    "XLSX_TYPE",
    "ZIP_MAGIC",
    "check_bytes",
    "check_upload",
    "check_uploads",
    "clean_name",
    "random_name",
    "storage_path",
]
