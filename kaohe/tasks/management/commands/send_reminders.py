"""`kaohe send-reminders`: send due reminders (safe to run repeatedly; it changes no task)."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from kaohe.tasks.reminders import reminders_send


class Command(BaseCommand):
    help = "发送任务提醒（下达、截止前7天、前1天、逾期）；重复运行不会重复发送。"

    def add_arguments(self, parser):
        parser.add_argument("--date", help="按指定日期计算（YYYY-MM-DD），默认今天")

    def handle(self, *args, **options):
        today = None
        if options["date"]:
            try:
                today = date.fromisoformat(options["date"])
            except ValueError as exc:
                raise CommandError(f"日期格式应为 YYYY-MM-DD：{options['date']}") from exc
        report = reminders_send(today=today)
        kinds = "，".join(f"{k} {n}" for k, n in sorted(report.sent.items())) or "无"
        self.stdout.write(f"发送提醒 {report.total} 条（{kinds}）；邮件收件人 {report.emails} 个。")
        for line in report.failed:
            self.stderr.write(f"发送失败：{line}")
        if report.failed:
            raise CommandError(f"{len(report.failed)} 条提醒发送失败，下次运行会重试。")
