"""`kaohe import-questions FILE [--bank NAME] [--unit NAME] [--dry-run]`: a question file into a bank."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from kaohe.exams.importing import read_file
from kaohe.exams.models import QuestionBank
from kaohe.exams.services.bank import bank_create, duplicates_in_bank, questions_import, summarise
from kaohe.exams.sheets import ImportFailed
from kaohe.orgs.models import Unit


class Command(BaseCommand):
    help = "导入试题文件（.xlsx）：全部正确才写入；--dry-run 只检查并按题型、专题统计。"

    def add_arguments(self, parser):
        parser.add_argument("file", help="试题文件（.xlsx）")
        parser.add_argument("--bank", default="题库", help="题库名称（不存在时新建）")
        parser.add_argument(
            "--unit", default="", help="新建题库时的所属单位名称（只有一个顶级单位时可省略）"
        )
        parser.add_argument("--dry-run", action="store_true", help="只检查，不写入")

    def _bank(self, name: str, unit_name: str, create: bool):
        banks = list(QuestionBank.objects.filter(name=name))
        if unit_name:
            banks = [b for b in banks if b.owner_unit.name == unit_name]
        if len(banks) > 1:
            raise CommandError(f"有多个名为“{name}”的题库，请用 --unit 指定所属单位。")
        if banks:
            return banks[0]
        units = list(
            Unit.objects.filter(name=unit_name)
            if unit_name
            else Unit.objects.filter(parent__isnull=True)
        )
        if len(units) != 1:
            raise CommandError("新建题库须用 --unit 指定唯一的所属单位。")
        return (
            bank_create(owner_unit=units[0], name=name)
            if create
            else QuestionBank(owner_unit=units[0], name=name)
        )

    def handle(self, *args, file, bank, unit, dry_run, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"文件“{file}”不存在。")
        try:
            reading = read_file(path.name, path.read_bytes())
            reading.problems.raise_if_any()
        except ImportFailed as exc:
            for message in exc.messages:
                self.stderr.write(message)
            raise CommandError(f"文件有 {len(exc.messages)} 个问题，未导入任何试题。") from None
        target = self._bank(bank, unit, create=not dry_run)
        duplicates = duplicates_in_bank(target, reading.specs) if target.pk else []
        if duplicates:
            for message in duplicates:
                self.stderr.write(message)
            raise CommandError("有与题库重复的试题，未导入任何试题。")
        if dry_run:
            summary = summarise(reading.specs)
        else:
            try:
                summary = questions_import(bank=target, specs=reading.specs, file_name=path.name)
            except ValidationError as exc:
                raise CommandError("；".join(exc.messages)) from None
        for line in summary.lines():
            self.stdout.write(line)
        verb = "检查通过（未写入）" if dry_run else f"已导入题库“{target.name}”"
        self.stdout.write(self.style.SUCCESS(f"{verb}：{summary.total} 道试题。"))
