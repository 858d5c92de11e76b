"""kaohe import-indicators FILE --scheme CODE [--component onsite] [--prefix X] [--dry-run]"""

from kaohe.transfer.management.commands._base import ImportCommand


class Command(ImportCommand):
    help = "从 .docx/.xlsx 导入指标/任务分解表（全部成功或全部不写入）"
    kind = "indicators"

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--scheme", required=True, help="方案代码")
        parser.add_argument(
            "--component", default="onsite", help="表中没有“所属考核类别”列时使用的考核类别代码"
        )
        parser.add_argument("--prefix", default="", help="表中没有“编码”列时的编码前缀")

    def handle(self, *args, **opts):
        options = {"component": opts["component"], "prefix": opts["prefix"]}
        self.run(
            opts["file"],
            dry_run=opts["dry_run"],
            scheme=self.scheme(opts["scheme"]),
            options=options,
        )
