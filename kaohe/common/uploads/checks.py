"""The checks every uploaded file passes (see the package docstring)."""

from __future__ import annotations

import hashlib
import re
import unicodedata
import uuid
import zipfile
import zlib
from io import BytesIO
from pathlib import PurePosixPath

import filetype
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kaohe.common.text import join_list

from .policies import (  # noqa: F401 (re-exported)
    _ALL_EXTENSIONS,
    _GUESSED,
    _OLD_FORMAT_HINT,
    DOCX_TYPE,
    EVIDENCE,
    IMPORT_DOCX,
    IMPORT_TABLE,
    IMPORT_XLSX,
    KINDS,
    MACRO_MARKERS,
    MATERIALS,
    MAX_MEMBERS,
    MAX_RATIO,
    MB,
    OFFICE_MATERIALS,
    OLE_MAGIC,
    WORD_TEMPLATE,
    XLSX_TYPE,
    ZIP_MAGIC,
    CheckedFile,
    UploadPolicy,
)


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


def storage_path(prefix: str, checked: CheckedFile) -> str:
    """Where a checked file is stored: `<prefix>/<yyyy>/<random>.<ext>` (never the user's name)."""
    from django.utils import timezone

    return f"{prefix.strip('/')}/{timezone.now():%Y}/{uuid.uuid4().hex}{checked.extension}"


def random_name(folder: str, filename: str) -> str:
    """For FileField.upload_to: `<folder>/<random>.<ext>`; the user's name stays in the row only.

    The extension is the checked one (callers save `CheckedFile.name`), lower-cased and short.
    """
    suffix = PurePosixPath(filename).suffix.lower()[:8]
    return f"{folder.strip('/')}/{uuid.uuid4().hex}{suffix}"


def _refuse(label: str, message: str):
    raise ValidationError(
        gettext("文件「%(label)s」%(message)s") % {"label": label, "message": message}
    )


def _ole_kind(data: bytes, label: str, suffix: str) -> str:
    """doc/wps or xls/et from the OLE directory's stream names; macros and encryption refused."""

    def has(name: str) -> bool:
        return name.encode("utf-16-le") in data

    if has("EncryptedPackage") or has("EncryptionInfo"):
        _refuse(label, gettext("设有打开密码（已加密），无法检查，请取消密码后另存再上传。"))
    if has("_VBA_PROJECT") or has("Macros") or has("_VBA_PROJECT_CUR"):
        _refuse(label, gettext("含有宏，不允许上传；请另存为不含宏的格式。"))
    if has("WordDocument"):
        return "wps" if suffix == ".wps" else "doc"
    if has("Workbook") or has("Book"):
        return "et" if suffix == ".et" else "xls"
    _refuse(label, gettext("是无法识别的旧版 Office 文件。"))
    return ""  # unreachable


def _scan_members(infos, label: str, policy: UploadPolicy) -> None:
    """Refuse archives too big to unpack safely: too many members, encrypted, escaping paths,
    bombs (per member ratio, or the total unpacked size)."""
    if len(infos) > MAX_MEMBERS:
        _refuse(
            label,
            (gettext("包含的文件过多（超过 %(MAX_MEMBERS)s 个）。") % {"MAX_MEMBERS": MAX_MEMBERS}),
        )
    total = 0
    for info in infos:
        if info.flag_bits & 0x1:
            _refuse(label, gettext("含有加密内容，无法检查，请解密后上传。"))
        path = PurePosixPath(info.filename)
        if info.filename.startswith(("/", "\\")) or ".." in path.parts or ":" in info.filename:
            _refuse(label, (gettext("内含非法路径「%(value)s」。") % {"value": info.filename[:80]}))
        total += info.file_size
        if info.file_size > MB and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            _refuse(label, gettext("压缩比异常（疑似压缩炸弹），已拒绝。"))
    if total > 4 * policy.max_bytes():
        _refuse(
            label,
            (
                gettext("解压后过大（%(value)s MB），已拒绝。")
                % {"value": format(total / MB, ".0f")}
            ),
        )


# Reading a member of a damaged zip: bad CRC (BadZipFile), a corrupt deflate stream
# (zlib.error), truncated data (EOFError), an unknown compression method (NotImplementedError).
DAMAGED = (
    zipfile.BadZipFile,
    OSError,
    ValueError,
    RuntimeError,
    EOFError,
    zlib.error,
    NotImplementedError,
)


def _office_kind(archive, names: set[str], label: str, policy: UploadPolicy) -> str:
    """docx or xlsx for an Office Open XML package; macro-enabled packages refused."""
    try:
        types = archive.read("[Content_Types].xml").decode("utf-8", "replace").lower()
    except DAMAGED:
        _refuse(label, gettext("已损坏（压缩数据校验失败）。"))
    if "macroenabled" in types:
        _refuse(label, gettext("含有宏（启用宏的格式），不允许上传；请另存为不含宏的格式。"))
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        return "xlsx"
    if policy.is_import:
        return "zip"  # an Office container of another kind: named by the caller's check
    _refuse(
        label, (gettext("是不支持的 Office 格式；只接受 %(label)s。") % {"label": policy.label})
    )
    return ""  # unreachable


def _check_archive_members(archive, infos, label: str, policy: UploadPolicy) -> None:
    """Every file inside a plain zip must itself be an accepted, non-archive kind."""
    for info in infos:
        if info.is_dir():
            continue
        member = f"{label} → {info.filename[:80]}"
        try:
            with archive.open(info) as handle:
                inner = handle.read(policy.max_bytes() + 1)
        except DAMAGED:
            _refuse(member, gettext("已损坏（压缩数据校验失败）。"))
        kind = _kind_of(inner, member, PurePosixPath(info.filename).suffix.lower(), policy, True)
        if kind not in policy.kinds:
            _refuse(
                member,
                (gettext("的类型不允许；压缩包内只接受 %(label)s。") % {"label": policy.label}),
            )


def _zip_kind(data: bytes, label: str, policy: UploadPolicy, *, nested: bool) -> str:
    """docx / xlsx / ofd / zip for a zip container, or a ValidationError in words."""
    try:
        archive = zipfile.ZipFile(BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        _refuse(label, gettext("不是完整的压缩文件，可能已损坏。"))
    _scan_members(infos, label, policy)
    names = {i.filename for i in infos}
    if any(m in n.lower() for n in names for m in MACRO_MARKERS):
        _refuse(label, gettext("含有宏，不允许上传；请另存为不含宏的格式。"))
    if "[Content_Types].xml" in names:
        return _office_kind(archive, names, label, policy)
    if "OFD.xml" in names or "ofd.xml" in {n.lower() for n in names}:
        return "ofd"
    if nested:
        _refuse(label, gettext("又是压缩包；请不要嵌套压缩。"))
    _check_archive_members(archive, infos, label, policy)
    return "zip"


def _kind_of(data: bytes, label: str, suffix: str, policy: UploadPolicy, nested: bool) -> str:
    if data.startswith(ZIP_MAGIC):
        return _zip_kind(data, label, policy, nested=nested)
    if data.startswith(OLE_MAGIC):
        return _ole_kind(data, label, suffix)
    guess = filetype.guess(data[:8192])
    kind = _GUESSED.get(guess.extension if guess else "")
    if kind is None:
        found = (
            (gettext("（检测到的实际类型：%(extension)s）") % {"extension": guess.extension})
            if guess
            else ""
        )
        _refuse(
            label,
            (
                gettext("的类型不允许%(found)s；只接受 %(label)s。")
                % {"found": found, "label": policy.label}
            ),
        )
    return kind


def _refuse_kind(label: str, kind: str, policy: UploadPolicy) -> None:
    if policy.is_import and kind in _OLD_FORMAT_HINT:
        _refuse(
            label,
            (
                gettext(
                    "是旧版二进制格式（.%(kind)s），请在 Excel/WPS/Word 中另存为 .%(value)s 后再导入。"
                )
                % {"kind": kind, "value": _OLD_FORMAT_HINT[kind]}
            ),
        )
    _refuse(
        label,
        (
            gettext("的类型（%(kind)s）不允许；只接受 %(label)s。")
            % {"kind": kind, "label": policy.label}
        ),
    )


MACRO_SUFFIXES = {".xlsm", ".xltm", ".xlam", ".docm", ".dotm"}
OLD_SUFFIXES = {".xls": ".xlsx", ".xlt": ".xlsx", ".doc": ".docx", ".dot": ".docx", ".wps": ".docx"}
OLD_SUFFIXES[".et"] = ".xlsx"
_WHAT = {"xlsx": _("Excel 工作簿"), "docx": _("Word 文档")}


def _import_precheck(label: str, suffix: str, data: bytes, policy: UploadPolicy) -> None:
    """Imports read .xlsx/.docx only; say exactly how to fix the file a person chose."""
    wanted = join_list(f".{k}" for k in sorted(policy.kinds))
    if suffix in MACRO_SUFFIXES:
        _refuse(
            label,
            gettext(
                "是含宏的文件（.xlsm/.docm），不予导入，请另存为 .xlsx/.docx（不含宏）后再导入。"
            ),
        )
    if suffix in OLD_SUFFIXES:
        _refuse(
            label,
            (
                gettext(
                    "是旧版二进制格式（%(suffix)s），请在 Excel/WPS/Word 中另存为 %(value)s 后再导入（请另存为 .xlsx/.docx）。"
                )
                % {"suffix": suffix, "value": OLD_SUFFIXES[suffix]}
            ),
        )
    if suffix[1:] not in policy.kinds:
        _refuse(
            label,
            (
                gettext("是不支持的文件类型“%(value)s”，请上传 %(wanted)s 文件。")
                % {"value": suffix or gettext("无扩展名"), "wanted": wanted}
            ),
        )
    if data.startswith(OLE_MAGIC):
        if any(
            m in data
            for m in (
                b"EncryptedPackage",
                *(n.encode("utf-16-le") for n in ("EncryptedPackage", "EncryptionInfo")),
            )
        ):
            _refuse(
                label,
                gettext(
                    "设有打开密码（已加密），系统无法读取。请在 Excel/WPS 中取消密码后另存再导入。"
                ),
            )
        _refuse(
            label,
            (
                gettext(
                    "的内容是旧版二进制格式（.xls/.doc），不是真正的 %(suffix)s，请另存为 .xlsx/.docx 后再导入。"
                )
                % {"suffix": suffix}
            ),
        )
    if not data.startswith(ZIP_MAGIC):
        _refuse(
            label,
            (
                gettext("的内容不是有效的 %(suffix)s 文件（可能是改了扩展名的其他文件或已损坏）。")
                % {"suffix": suffix}
            ),
        )


def check_bytes(name: str, data: bytes, policy: UploadPolicy) -> CheckedFile:
    """Check a file given as name and bytes (command line imports, already-read uploads)."""
    label = clean_name(name)
    limit = policy.max_bytes()
    if not data:
        _refuse(label, gettext("：文件为空（0 字节），是空文件，请检查后重新选择。"))
    if len(data) > limit:
        _refuse(
            label,
            (
                gettext("大小 %(value)s MB，超过上限 %(value2)s MB。")
                % {"value": format(len(data) / MB, ".1f"), "value2": limit // MB}
            ),
        )
    suffix = PurePosixPath(label).suffix.lower()
    if policy.is_import:
        _import_precheck(label, suffix, data, policy)
    kind = _kind_of(data, label, suffix, policy, nested=False)
    if policy.is_import and kind != suffix[1:]:
        _refuse(
            label,
            (
                gettext("的扩展名是 %(suffix)s，但内容是%(value)s，不是%(value2)s。")
                % {
                    "suffix": suffix,
                    "value": _WHAT.get(kind, gettext("其他压缩文件")),
                    "value2": _WHAT.get(suffix[1:], suffix),
                }
            ),
        )
    if kind not in policy.kinds:
        _refuse_kind(label, kind, policy)
    extensions = KINDS[kind][0]
    if suffix not in extensions:
        stem = PurePosixPath(label).stem if suffix in _ALL_EXTENSIONS or suffix else label
        label = f"{stem}{extensions[0]}"
    return CheckedFile(
        name=label, kind=kind, size=len(data), sha256=hashlib.sha256(data).hexdigest(), data=data
    )


def check_upload(upload, policy: UploadPolicy) -> CheckedFile:
    """Check one Django UploadedFile (read at most the policy's limit + 1 byte)."""
    name = getattr(upload, "name", "") or "文件"
    if (upload.size or 0) > policy.max_bytes():
        _refuse(
            clean_name(name),
            (
                gettext("大小 %(value)s MB，超过上限 %(value2)s MB。")
                % {"value": format(upload.size / MB, ".1f"), "value2": policy.max_bytes() // MB}
            ),
        )
    upload.seek(0)
    data = upload.read(policy.max_bytes() + 1)
    upload.seek(0)
    return check_bytes(name, data, policy)


def check_uploads(uploads, policy: UploadPolicy) -> list[CheckedFile]:
    """Check every file first, so nothing is stored when one is refused; all messages at once."""
    errors, checked = [], []
    for upload in uploads:
        try:
            checked.append(check_upload(upload, policy))
        except ValidationError as exc:
            errors.extend(exc.messages)
    if errors:
        raise ValidationError(errors)
    return checked
