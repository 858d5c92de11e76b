"""kaohe import-scores FILE --scheme CODE [--dry-run]"""

from kaohe.transfer.management.commands._base import ImportCommand


class Command(ImportCommand):
    help = "从 .xlsx 导入指标得分（考核对象、指标编码、得分、说明）"
    kind = "scores"

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--scheme", required=True, help="方案代码")

    def handle(self, *args, **opts):
        self.run(opts["file"], dry_run=opts["dry_run"], scheme=self.scheme(opts["scheme"]))
