"""kaohe export-results --scheme CODE OUT.xlsx"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from kaohe.schemes.models import Scheme
from kaohe.scoring.services import results_ensure_fresh
from kaohe.transfer.exports import results_xlsx


class Command(BaseCommand):
    help = "导出方案的考核结果（每个评定组别一张表，另附指标得分表）"

    def add_arguments(self, parser):
        parser.add_argument("out", help="输出文件 .xlsx")
        parser.add_argument("--scheme", required=True, help="方案代码")

    def handle(self, *args, **opts):
        scheme = Scheme.objects.filter(code=opts["scheme"]).first()
        if scheme is None:
            raise CommandError(f"方案“{opts['scheme']}”不存在。")
        out = Path(opts["out"])
        if out.suffix.lower() != ".xlsx":
            raise CommandError("输出文件须以 .xlsx 结尾。")
        results_ensure_fresh(scheme=scheme)
        out.write_bytes(results_xlsx(scheme))
        self.stdout.write(f"已导出 {scheme.subjects.count()} 个考核对象的结果到 {out}")
