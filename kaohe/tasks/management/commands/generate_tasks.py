"""`kaohe generate-tasks --scheme CODE`: the board's "generate" button, for very large schemes."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from kaohe.schemes.models import Scheme
from kaohe.tasks.reminders import reminders_send
from kaohe.tasks.services import tasks_generate


class Command(BaseCommand):
    help = "按指标的责任单位生成任务（已有的不重复生成），并发送任务下达提醒。"

    def add_arguments(self, parser):
        parser.add_argument("--scheme", required=True, help="考核方案代码，例如 puyang-2020")
        parser.add_argument("--default-deadline", help="指标没有提交时限时使用的日期（YYYY-MM-DD）")
        parser.add_argument("--no-mail", action="store_true", help="不立即发送下达提醒")

    def handle(self, *args, **options):
        scheme = Scheme.objects.filter(code=options["scheme"]).first()
        if scheme is None:
            raise CommandError(f"考核方案「{options['scheme']}」不存在。")
        deadline = None
        if options["default_deadline"]:
            try:
                deadline = date.fromisoformat(options["default_deadline"])
            except ValueError as exc:
                raise CommandError("--default-deadline 的格式应为 YYYY-MM-DD。") from exc
        result = tasks_generate(scheme=scheme, default_deadline=deadline)
        self.stdout.write(f"已生成 {result.created} 项任务，已存在 {result.existing} 项。")
        if result.without_deadline:
            codes = "、".join(sorted(set(result.without_deadline)))
            self.stderr.write(f"以下指标没有提交时限，未生成任务：{codes}")
        if result.created and not options["no_mail"]:
            report = reminders_send(task_ids=result.task_ids, kinds={"assigned"})
            self.stdout.write(f"已发送下达提醒 {report.total} 条。")
