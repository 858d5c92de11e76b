"""Opening uploaded .xlsx/.docx files safely, with a clear message for everything else.

Checks, in order: empty, too large, old binary formats (.xls/.doc), encrypted workbooks,
macro-enabled files, zip bombs, and files whose content is not what the extension says.
"""

import io
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath

from django.conf import settings

from .problems import ImportFailed

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
MACRO_SUFFIXES = {".xlsm", ".xltm", ".xlam", ".docm", ".dotm"}
OLD_SUFFIXES = {
    ".xls": ".xlsx",
    ".xlt": ".xlsx",
    ".doc": ".docx",
    ".dot": ".docx",
    ".wps": ".docx",
    ".et": ".xlsx",
}
# A real workbook of 100,000 rows unpacks to a few dozen MB; anything near this is a bomb.
MAX_UNPACKED_BYTES = 400 * 1024 * 1024
MAX_MEMBER_RATIO = 300
MAX_MEMBERS = 5000


@dataclass(frozen=True)
class Upload:
    """A checked upload: its name, its bytes and what it is ("xlsx" or "docx")."""

    name: str
    data: bytes
    kind: str


def _max_bytes() -> int:
    return getattr(settings, "FILE_UPLOAD_MAX_MB", 50) * 1024 * 1024


def _fail(name: str, message: str):
    raise ImportFailed([f"文件“{name}”：{message}"])


def check_upload(name: str, data: bytes, *, allowed: tuple[str, ...] = ("xlsx", "docx")) -> Upload:
    """Return the upload if it is a plain .xlsx/.docx of an allowed kind; else ImportFailed."""
    name = PurePosixPath(str(name).replace("\\", "/")).name or "上传文件"
    suffix = PurePosixPath(name).suffix.lower()
    wanted = "、".join(f".{k}" for k in allowed)
    if not data:
        _fail(name, "文件为空（0 字节），请检查后重新选择。")
    if len(data) > _max_bytes():
        _fail(name, f"文件超过 {_max_bytes() // 1024 // 1024} MB 上限。")
    if suffix in MACRO_SUFFIXES:
        _fail(name, "含宏的文件（.xlsm/.docm）不予导入，请另存为 .xlsx/.docx（不含宏）后再导入。")
    if suffix in OLD_SUFFIXES:
        _fail(
            name,
            f"这是旧版二进制格式（{suffix}），请在 Excel/WPS/Word 中另存为 {OLD_SUFFIXES[suffix]} 后再导入（请另存为 .xlsx/.docx）。",
        )
    if suffix not in {".xlsx", ".docx"} or suffix[1:] not in allowed:
        _fail(name, f"不支持的文件类型“{suffix or '无扩展名'}”，请上传 {wanted} 文件。")
    if data.startswith(OLE_MAGIC):
        if (
            "EncryptionInfo".encode("utf-16-le") in data
            or b"EncryptedPackage" in data
            or "EncryptedPackage".encode("utf-16-le") in data
        ):
            _fail(
                name,
                "文件设有打开密码（已加密），系统无法读取。请在 Excel/WPS 中取消密码后另存再导入。",
            )
        _fail(
            name,
            f"文件内容是旧版二进制格式（.xls/.doc），不是真正的 {suffix}，请另存为 .xlsx/.docx 后再导入。",
        )
    if not data.startswith(ZIP_MAGIC):
        _fail(name, f"文件内容不是有效的 {suffix} 文件（可能是改了扩展名的其他文件或已损坏）。")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        _fail(name, f"文件已损坏，无法作为 {suffix} 打开。")
    if len(members) > MAX_MEMBERS:
        _fail(name, "文件内部结构异常（条目过多），已拒绝。")
    total = 0
    for member in members:
        total += member.file_size
        ratio = member.file_size / max(member.compress_size, 1)
        if total > MAX_UNPACKED_BYTES or (
            member.file_size > 10 * 1024 * 1024 and ratio > MAX_MEMBER_RATIO
        ):
            _fail(name, "文件解压后体积异常（疑似压缩炸弹），已拒绝。")
    names = {m.filename for m in members}
    lowered = {n.lower() for n in names}
    if any(n.endswith("vbaproject.bin") for n in lowered):
        _fail(name, "文件中含有宏（VBA），不予导入。请另存为不含宏的 .xlsx/.docx 后再导入。")
    try:
        content_types = (
            archive.read("[Content_Types].xml") if "[Content_Types].xml" in names else b""
        )
    except (zipfile.BadZipFile, OSError, ValueError, RuntimeError):
        _fail(name, f"文件已损坏，无法作为 {suffix} 打开。")
    if b"macroEnabled" in content_types:
        _fail(name, "文件是启用宏的格式，不予导入。请另存为 .xlsx/.docx 后再导入。")
    is_xlsx = "xl/workbook.xml" in names
    is_docx = "word/document.xml" in names
    if suffix == ".xlsx" and not is_xlsx:
        what = "Word 文档" if is_docx else "其他压缩文件"
        _fail(name, f"文件扩展名是 .xlsx，但内容是{what}，不是 Excel 工作簿。")
    if suffix == ".docx" and not is_docx:
        what = "Excel 工作簿" if is_xlsx else "其他压缩文件"
        _fail(name, f"文件扩展名是 .docx，但内容是{what}，不是 Word 文档。")
    return Upload(name=name, data=data, kind=suffix[1:])
