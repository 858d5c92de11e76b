"""PDF from .docx through LibreOffice headless, when it is installed."""

import shutil
import subprocess
import tempfile
from pathlib import Path

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

INSTALL_HINT = _(
    "服务器未安装 LibreOffice，无法生成 PDF。请安装 Debian 软件包："
    "apt-get install libreoffice-writer fonts-noto-cjk fonts-wqy-zenhei"
    "（公文字体 方正小标宋简体、仿宋_GB2312、楷体_GB2312 请另行安装到 /usr/share/fonts 后运行 fc-cache）。"
)


class PdfUnavailable(RuntimeError):
    """LibreOffice is not installed (or failed); the message says what to do."""


def soffice_path() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def docx_to_pdf(content: bytes, *, timeout: int = 120) -> bytes:
    binary = soffice_path()
    if binary is None:
        raise PdfUnavailable(INSTALL_HINT)
    with tempfile.TemporaryDirectory(prefix="kaohe-pdf-") as tmp:
        source = Path(tmp) / "notice.docx"
        source.write_bytes(content)
        profile = Path(tmp) / "profile"
        try:
            subprocess.run(  # noqa: S603 — fixed argument list, no shell
                [
                    binary,
                    f"-env:UserInstallation={profile.as_uri()}",
                    "--headless",
                    "--convert-to",
                    "pdf",
                    "--outdir",
                    tmp,
                    str(source),
                ],
                check=True,
                capture_output=True,
                timeout=timeout,
            )
        except (subprocess.SubprocessError, OSError) as exc:
            raise PdfUnavailable(
                gettext("LibreOffice 转换 PDF 失败：%(exc)s") % {"exc": exc}
            ) from exc
        target = Path(tmp) / "notice.pdf"
        if not target.exists():
            raise PdfUnavailable(
                gettext("LibreOffice 未生成 PDF 文件，请检查服务器日志与字体安装。")
            )
        return target.read_bytes()


def pdf_pages_text(content: bytes) -> list[str] | None:
    """Each page's text (poppler's pdftotext), or None when pdftotext is not installed."""
    binary = shutil.which("pdftotext")
    if binary is None:
        return None
    with tempfile.TemporaryDirectory(prefix="kaohe-pdf-") as tmp:
        source = Path(tmp) / "n.pdf"
        source.write_bytes(content)
        try:
            out = subprocess.run(  # noqa: S603 — fixed argument list, no shell
                [binary, "-enc", "UTF-8", str(source), "-"],
                check=True,
                capture_output=True,
                timeout=60,
            ).stdout.decode("utf-8", "replace")
        except (subprocess.SubprocessError, OSError):
            return None
    pages = out.split("\f")
    return pages[:-1] if pages and not pages[-1].strip() else pages
