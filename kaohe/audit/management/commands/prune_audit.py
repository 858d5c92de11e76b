"""`kaohe prune-audit --before DATE`: remove audit events older than DATE (at least 6 months)."""

from datetime import datetime, time

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.dateparse import parse_date

from kaohe.audit.services import PruneRefused, audit_prune


class Command(BaseCommand):
    help = "清理早于指定日期的审计事件（至少保留 6 个月，哈希链仍可校验）/ prune old audit events"

    def add_arguments(self, parser):
        parser.add_argument("--before", required=True, help="日期 YYYY-MM-DD，清理此前的事件")
        parser.add_argument("--export", help="先把要清理的事件写入此文件（JSON Lines）")

    def handle(self, *args, before, export=None, **options):
        try:
            day = parse_date(before) if before else None
        except ValueError:
            day = None
        if day is None:
            raise CommandError(f"--before 日期格式错误：{before!r}，应为 YYYY-MM-DD。")
        cutoff = timezone.make_aware(datetime.combine(day, time.min))
        try:
            if export:
                with open(export, "w", encoding="utf-8") as stream:
                    count = audit_prune(before=cutoff, export=stream)
            else:
                count = audit_prune(before=cutoff)
        except PruneRefused as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"已清理 {count} 条审计事件；哈希链检查点已记录。")
