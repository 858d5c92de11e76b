"""What an upload may be: the kinds the checker knows, each form's policy, the checked result."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.utils.translation import gettext_lazy as _

MB = 1024 * 1024
MAX_RATIO = 100  # uncompressed / compressed, per member larger than 1 MB
MAX_MEMBERS = 5000
MACRO_MARKERS = ("vbaproject.bin", "vbadata.xml")
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")

# kind → (extensions a name may carry, content type served)
KINDS: dict[str, tuple[tuple[str, ...], str]] = {
    "pdf": ((".pdf",), "application/pdf"),
    "docx": (
        (".docx",),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    "xlsx": ((".xlsx",), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "doc": ((".doc",), "application/msword"),
    "wps": ((".wps",), "application/vnd.ms-works"),
    "xls": ((".xls",), "application/vnd.ms-excel"),
    "et": ((".et",), "application/vnd.ms-excel"),
    "ofd": ((".ofd",), "application/ofd"),
    "zip": ((".zip",), "application/zip"),
    "jpg": ((".jpg", ".jpeg"), "image/jpeg"),
    "png": ((".png",), "image/png"),
    "gif": ((".gif",), "image/gif"),
    "webp": ((".webp",), "image/webp"),
    "heic": ((".heic",), "image/heic"),
    "mp3": ((".mp3",), "audio/mpeg"),
    "m4a": ((".m4a",), "audio/mp4"),
    "wav": ((".wav",), "audio/x-wav"),
    "amr": ((".amr",), "audio/amr"),
    "ogg": ((".ogg",), "audio/ogg"),
    "aac": ((".aac",), "audio/aac"),
    "flac": ((".flac",), "audio/flac"),
}
DOCX_TYPE = KINDS["docx"][1]
XLSX_TYPE = KINDS["xlsx"][1]
_GUESSED = {
    "pdf": "pdf",
    "jpg": "jpg",
    "png": "png",
    "gif": "gif",
    "webp": "webp",
    "heic": "heic",
    "mp3": "mp3",
    "m4a": "m4a",
    "wav": "wav",
    "amr": "amr",
    "ogg": "ogg",
    "aac": "aac",
    "flac": "flac",
}
_ALL_EXTENSIONS = {ext for exts, _ in KINDS.values() for ext in exts}
_OLD_FORMAT_HINT = {"doc": "docx", "wps": "docx", "xls": "xlsx", "et": "xlsx"}


@dataclass(frozen=True)
class UploadPolicy:
    """What one upload form accepts: kinds, how it names them to users, a size limit."""

    kinds: frozenset[str]
    label: str
    max_mb: int | None = None  # None: settings.FILE_UPLOAD_MAX_MB
    is_import: bool = False  # imports explain how to re-save old formats

    def max_bytes(self) -> int:
        return (self.max_mb or int(getattr(settings, "FILE_UPLOAD_MAX_MB", 50))) * MB


OFFICE_MATERIALS = frozenset({"pdf", "docx", "xlsx", "doc", "wps", "xls", "et", "ofd"})
MATERIALS = UploadPolicy(
    kinds=OFFICE_MATERIALS | {"jpg", "png", "zip"},
    label=_("PDF、Word（docx/doc/wps）、Excel（xlsx/xls/et）、OFD、JPG、PNG 或它们的 ZIP 压缩包"),
)
EVIDENCE = UploadPolicy(
    kinds=frozenset(
        {"jpg", "png", "gif", "webp", "heic", "pdf"}
        | {"mp3", "m4a", "wav", "amr", "ogg", "aac", "flac"}
    ),
    label=_("照片、PDF 或录音"),
)
IMPORT_XLSX = UploadPolicy(kinds=frozenset({"xlsx"}), label=".xlsx", is_import=True)
IMPORT_DOCX = UploadPolicy(kinds=frozenset({"docx"}), label=".docx", is_import=True)
IMPORT_TABLE = UploadPolicy(
    kinds=frozenset({"xlsx", "docx"}), label=_(".xlsx 或 .docx"), is_import=True
)
WORD_TEMPLATE = UploadPolicy(kinds=frozenset({"docx"}), label=_("Word（.docx）"), max_mb=20)


@dataclass(frozen=True)
class CheckedFile:
    """An upload that passed: a safe name ending in its real extension, its kind and bytes."""

    name: str
    kind: str
    size: int
    sha256: str
    data: bytes

    @property
    def content_type(self) -> str:
        return KINDS[self.kind][1]

    @property
    def extension(self) -> str:
        return KINDS[self.kind][0][0]

    def content(self) -> ContentFile:
        return ContentFile(self.data, name=self.name)
