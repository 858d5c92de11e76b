"""Checking uploaded materials by their content, not their name.

Allowed: pdf, docx, xlsx, jpg, png, ofd and zip archives of those. Office files and OFD
are zip containers, told apart by their members; macro-enabled Office files, nested
archives, encrypted or path-traversing members and zip bombs are refused.
"""

import hashlib
import re
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass
from io import BytesIO
from pathlib import PurePosixPath

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError

MB = 1024 * 1024
KINDS = {  # kind → (extensions accepted in the name, content type served)
    "pdf": ({".pdf"}, "application/pdf"),
    "docx": (
        {".docx"},
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    "xlsx": ({".xlsx"}, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "jpg": ({".jpg", ".jpeg"}, "image/jpeg"),
    "png": ({".png"}, "image/png"),
    "ofd": ({".ofd"}, "application/ofd"),
    "zip": ({".zip"}, "application/zip"),
}
KIND_LABELS = "PDF、Word（docx）、Excel（xlsx）、JPG、PNG、OFD 或它们的 ZIP 压缩包"
MAX_RATIO = 100  # uncompressed / compressed, per member
MAX_MEMBERS = 1000
MACRO_MARKERS = ("vbaproject.bin", "macroenabled", "vbadata.xml")


def max_upload_bytes() -> int:
    return int(getattr(settings, "FILE_UPLOAD_MAX_MB", 50)) * MB


def clean_name(raw: str) -> str:
    """The last path component, without control characters or leading dots, ≤ 120 chars."""
    name = unicodedata.normalize("NFC", str(raw or ""))
    name = name.replace("\\", "/").split("/")[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    name = re.sub(r'[<>:"|?*]', "_", name).strip().lstrip(".").strip()
    if not name:
        name = "文件"
    stem, suffix = PurePosixPath(name).stem, PurePosixPath(name).suffix[:10]
    return stem[: 120 - len(suffix)] + suffix


@dataclass(frozen=True)
class Checked:
    name: str
    kind: str
    size: int
    sha256: str

    @property
    def content_type(self) -> str:
        return KINDS[self.kind][1]


def _zip_kind(data_or_file, label: str, *, nested: bool) -> str:
    """docx / xlsx / ofd / zip for a zip container, or a ValidationError in words.

    Reading a member can fail too (bad CRC, truncated data, unknown compression): every such
    failure is the same "damaged" refusal, never a 500.
    """
    try:
        archive = zipfile.ZipFile(data_or_file)
        return _zip_members_kind(archive, archive.infolist(), label, nested=nested)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, zlib.error) as exc:
        raise ValidationError(f"文件「{label}」不是完整的压缩文件，可能已损坏。") from exc
    except NotImplementedError as exc:
        raise ValidationError(f"文件「{label}」使用了不支持的压缩方式。") from exc


def _zip_members_kind(archive, infos, label: str, *, nested: bool) -> str:
    names = {i.filename for i in infos}
    lower = [n.lower() for n in names]
    if len(infos) > MAX_MEMBERS:
        raise ValidationError(f"文件「{label}」包含的文件过多（超过 {MAX_MEMBERS} 个）。")
    total = 0
    for info in infos:
        if info.flag_bits & 0x1:
            raise ValidationError(f"文件「{label}」含有加密内容，无法检查，请解密后上传。")
        path = PurePosixPath(info.filename)
        if info.filename.startswith(("/", "\\")) or ".." in path.parts or ":" in info.filename:
            raise ValidationError(f"文件「{label}」内含非法路径「{info.filename}」。")
        total += info.file_size
        if info.file_size > MAX_RATIO * max(info.compress_size, 1) and info.file_size > MB:
            raise ValidationError(f"文件「{label}」压缩比异常（疑似压缩炸弹），已拒绝。")
    if total > 4 * max_upload_bytes():
        raise ValidationError(f"文件「{label}」解压后过大（{total / MB:.0f} MB），已拒绝。")
    if "[Content_Types].xml" in names:
        content_types = archive.read("[Content_Types].xml").decode("utf-8", "replace").lower()
        if any(m in n for n in lower for m in MACRO_MARKERS) or "macroenabled" in content_types:
            raise ValidationError(f"文件「{label}」含有宏，不允许上传；请另存为不含宏的格式。")
        if "word/document.xml" in names:
            return "docx"
        if "xl/workbook.xml" in names:
            return "xlsx"
        raise ValidationError(f"文件「{label}」是不支持的 Office 格式；只接受 {KIND_LABELS}。")
    if "OFD.xml" in names:
        return "ofd"
    if nested:
        raise ValidationError(f"压缩包内的「{label}」又是压缩包；请不要嵌套压缩。")
    for info in infos:
        if info.is_dir():
            continue
        member = f"{label} → {info.filename}"
        with archive.open(info) as handle:
            data = handle.read(max_upload_bytes() + 1)
        kind = _kind_of(BytesIO(data), data[:8192], member, nested=True)
        if kind == "zip":
            raise ValidationError(f"压缩包内的「{member}」又是压缩包；请不要嵌套压缩。")
    return "zip"


def _kind_of(stream, head: bytes, label: str, *, nested: bool = False) -> str:
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        stream.seek(0)
        return _zip_kind(stream, label, nested=nested)
    guess = filetype.guess(head)
    kind = {"pdf": "pdf", "jpg": "jpg", "png": "png"}.get(guess.extension if guess else "")
    if kind is None:
        found = f"（检测到的实际类型：{guess.extension}）" if guess else ""
        raise ValidationError(f"文件「{label}」的类型不允许{found}；只接受 {KIND_LABELS}。")
    return kind


def check_upload(upload) -> Checked:
    """Validate an UploadedFile; returns the cleaned name, kind, size and SHA-256."""
    name = clean_name(getattr(upload, "name", ""))
    size = upload.size
    limit = max_upload_bytes()
    if size > limit:
        raise ValidationError(f"文件「{name}」大小 {size / MB:.1f} MB，超过上限 {limit // MB} MB。")
    if size == 0:
        raise ValidationError(f"文件「{name}」是空文件。")
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    kind = _kind_of(upload, head, name)
    upload.seek(0)
    extensions = KINDS[kind][0]
    path = PurePosixPath(name)
    if path.suffix.lower() not in extensions:
        name = f"{path.stem if path.suffix.lower() in _ALL_EXT else name}{sorted(extensions)[0]}"
    return Checked(name=name, kind=kind, size=size, sha256=digest.hexdigest())


_ALL_EXT = {ext for exts, _ in KINDS.values() for ext in exts}
