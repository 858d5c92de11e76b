"""kaohe import-units FILE [--unit NAME] [--dry-run]"""

from django.core.management.base import CommandError

from kaohe.orgs.models import Unit
from kaohe.transfer.management.commands._base import ImportCommand


class Command(ImportCommand):
    help = "从 .xlsx 导入单位（单位表）和人员（人员表）"
    kind = "units"

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--unit", default="", help="导入到哪个单位之下（名称；默认唯一的顶级单位）"
        )

    def handle(self, *args, **opts):
        if opts["unit"]:
            units = list(Unit.objects.filter(name=opts["unit"]))
        else:
            units = list(Unit.objects.filter(parent__isnull=True))
        if len(units) != 1:
            raise CommandError("请用 --unit 指定导入到哪个单位之下（名称须唯一）。")
        self.run(opts["file"], dry_run=opts["dry_run"], owner=units[0])
