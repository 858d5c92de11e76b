"""`kaohe verify-draw ID [ID…]`: recompute recorded draws and compare with their results."""

from django.core.management.base import BaseCommand, CommandError

from kaohe.onsite.models import Draw
from kaohe.onsite.services.draws import draw_verify


class Command(BaseCommand):
    help = "重新计算随机抽取记录并与记录结果比对（不一致时以非零状态退出）。"

    def add_arguments(self, parser):
        parser.add_argument("ids", nargs="+", type=int, help="抽取记录编号")

    def handle(self, *args, ids, **options):
        failed = []
        for pk in ids:
            draw = Draw.objects.select_related("subject__unit").filter(pk=pk).first()
            if draw is None:
                raise CommandError(f"抽取记录 #{pk} 不存在。")
            report = draw_verify(draw)
            self.stdout.write(f"#{draw.pk} {draw.subject.unit.name} · {draw.title}")
            for text, ok in report.checks:
                self.stdout.write(f"  [{'通过' if ok else '失败'}] {text}")
            if report.digest:
                self.stdout.write(f"  摘要 {report.digest}")
                self.stdout.write(f"  结果 {', '.join(report.recomputed)}")
            if not report.ok:
                failed.append(pk)
        if failed:
            raise CommandError("核验未通过：" + ", ".join(f"#{pk}" for pk in failed))
        self.stdout.write(self.style.SUCCESS("核验通过：复算结果与记录一致。"))
