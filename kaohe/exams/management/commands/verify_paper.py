"""`kaohe verify-paper ID [ID…]`: recompute drawn papers (kaohe-paper/1) and compare."""

from django.core.management.base import BaseCommand, CommandError

from kaohe.exams.models import Sitting
from kaohe.exams.services.sittings import sitting_verify


class Command(BaseCommand):
    help = "重新计算考试场次的组卷结果并与记录比对（不一致时以非零状态退出）。"

    def add_arguments(self, parser):
        parser.add_argument("ids", nargs="+", type=int, help="考试场次编号")

    def handle(self, *args, ids, **options):
        failed = []
        for pk in ids:
            sitting = Sitting.objects.select_related("subject__unit", "exam").filter(pk=pk).first()
            if sitting is None:
                raise CommandError(f"考试场次 #{pk} 不存在。")
            report = sitting_verify(sitting)
            self.stdout.write(f"#{sitting.pk} {sitting.subject.unit.name} · {sitting.exam.title}")
            for text, ok in report.checks:
                self.stdout.write(f"  [{'通过' if ok else '失败'}] {text}")
            if report.digest:
                self.stdout.write(f"  摘要 {report.digest}")
                self.stdout.write(f"  试题 {', '.join(report.paper)}")
            if not report.ok:
                failed.append(pk)
        if failed:
            raise CommandError("核验未通过：" + ", ".join(f"#{pk}" for pk in failed))
        self.stdout.write(self.style.SUCCESS("核验通过：复算结果与记录一致。"))
