"""`kaohe demo`: load the seeds' 2020 assessment (once) and print the demo accounts."""

from django.core.management.base import BaseCommand, CommandError

from kaohe.demo.builder import SCHEME_CODE, accounts_text, build_demo, demo_exists


class Command(BaseCommand):
    help = "载入 2020 年度濮阳市依法行政考核演示数据 / load the 2020 demo assessment"

    def handle(self, *args, **options):
        from django.conf import settings

        if not (settings.DEBUG or settings.DEMO or settings.TESTING):
            raise CommandError(
                "演示数据只能在演示或开发环境载入（设置 KAOHE_DEMO=1 或 DEBUG=1）；"
                "正式环境请用 kaohe create-admin 建立初始管理员。"
            )
        if demo_exists():
            self.stdout.write(f"演示方案 {SCHEME_CODE} 已存在，跳过载入。")
        else:
            scheme = build_demo()
            # The rest of the year's work, so every page of the demo has something to show.
            from django.core.management import call_command

            from kaohe.tasks.services import tasks_generate

            tasks_generate(scheme=scheme)
            call_command("onsite_demo", stdout=self.stdout)
            self.stdout.write(self.style.SUCCESS(f"已载入演示方案 {SCHEME_CODE}。"))
        self.stdout.write(accounts_text())
