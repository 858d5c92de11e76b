"""`kaohe demo`: load the seeds' 2020 assessment (once) and print the demo accounts."""

from django.core.management.base import BaseCommand

from kaohe.schemes.demo import SCHEME_CODE, accounts_text, build_demo, demo_exists


class Command(BaseCommand):
    help = "载入 2020 年度濮阳市依法行政考核演示数据 / load the 2020 demo assessment"

    def handle(self, *args, **options):
        if demo_exists():
            self.stdout.write(f"演示方案 {SCHEME_CODE} 已存在，跳过载入。")
        else:
            build_demo()
            self.stdout.write(self.style.SUCCESS(f"已载入演示方案 {SCHEME_CODE}。"))
        self.stdout.write(accounts_text())
