"""kaohe export-notice --scheme CODE OUT.docx — write the results notice (GB/T 9704 or template)."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from kaohe.common.pdf import PdfUnavailable, docx_to_pdf
from kaohe.publishing.choices import NoticeOrder
from kaohe.publishing.notice_content import notice_prepare
from kaohe.publishing.services.notice import notice_pdf, notice_render
from kaohe.schemes.models import Scheme
from kaohe.scoring.services import results_ensure_fresh


class Command(BaseCommand):
    help = "导出考核结果通报（.docx；输出文件名以 .pdf 结尾时经 LibreOffice 转为 PDF）。"

    def add_arguments(self, parser):
        parser.add_argument("out", help="输出文件，如 notice.docx 或 notice.pdf")
        parser.add_argument("--scheme", required=True, help="方案代码，如 puyang-2020")
        parser.add_argument(
            "--order",
            choices=[c.value for c in NoticeOrder],
            help="等次名单排序：rank 按名次，official 按单位序列（默认取通报设置）",
        )
        parser.add_argument(
            "--builtin", action="store_true", help="忽略上传的自定义模板，使用内置公文格式"
        )

    def handle(self, *args, out, scheme, order, builtin, **options):
        found = Scheme.objects.filter(code=scheme).first()
        if found is None:
            raise CommandError(f"方案代码“{scheme}”不存在。")
        results_ensure_fresh(scheme=found)
        notice = notice_prepare(scheme=found)
        try:
            if out.lower().endswith(".pdf") and not order and (builtin or not notice.template):
                content = notice_pdf(notice=notice)
            else:
                content = notice_render(notice=notice, use_template=not builtin, order=order)
                if out.lower().endswith(".pdf"):
                    content = docx_to_pdf(content)
        except (ValidationError, PdfUnavailable) as exc:
            message = "；".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
            raise CommandError(message) from exc
        path = Path(out)
        path.write_bytes(content)
        self.stdout.write(f"已写出 {path}（{len(content)} 字节）")
