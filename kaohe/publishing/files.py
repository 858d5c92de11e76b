"""Uploaded files (objection material, rectification evidence): type checked by content."""

from dataclasses import dataclass
from pathlib import PurePath

import filetype
from django.core.exceptions import ValidationError

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
# MIME types accepted by content (the name's extension is never trusted).
ALLOWED_TYPES = {
    "application/pdf": "pdf",
    "image/jpeg": "jpg",
    "image/png": "png",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    "application/msword": "doc",
    "application/vnd.ms-excel": "xls",
    "application/zip": "zip",
}
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@dataclass(frozen=True)
class CheckedUpload:
    upload: object
    name: str
    content_type: str
    size: int


def safe_name(name: str) -> str:
    """The base name only, without path parts or control characters, at most 120 characters."""
    base = PurePath(name.replace("\\", "/")).name
    base = "".join(ch for ch in base if ch.isprintable() and ch not in '<>:"/|?*')
    return (base or "file")[-120:]


def check_upload(upload, *, allowed=ALLOWED_TYPES) -> CheckedUpload:
    """Refuse empty, oversized or unrecognised files, naming the file in the message."""
    name = safe_name(getattr(upload, "name", "") or "file")
    size = upload.size or 0
    if size == 0:
        raise ValidationError(f"文件“{name}”是空文件。")
    if size > MAX_UPLOAD_BYTES:
        raise ValidationError(f"文件“{name}”超过 {MAX_UPLOAD_BYTES // 1024 // 1024} MB。")
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    mime = kind.mime if kind else ""
    if mime not in allowed:
        raise ValidationError(
            f"文件“{name}”的类型不受支持（按内容识别为 {mime or '未知'}）；"
            "请上传 PDF、图片（JPG/PNG）、Word、Excel 或 ZIP 文件。"
        )
    return CheckedUpload(upload=upload, name=name, content_type=mime, size=size)


def check_uploads(uploads, *, allowed=ALLOWED_TYPES) -> list[CheckedUpload]:
    """Check every file first so that nothing is saved when one of them is refused."""
    errors, checked = [], []
    for upload in uploads:
        try:
            checked.append(check_upload(upload, allowed=allowed))
        except ValidationError as exc:
            errors.extend(exc.messages)
    if errors:
        raise ValidationError(errors)
    return checked
