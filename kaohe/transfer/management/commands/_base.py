"""Shared parts of the import commands: read the file, print the report, exit non-zero on errors."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from kaohe.schemes.models import Scheme
from kaohe.transfer.services import import_apply, import_check

LEVEL_NAMES = {"1": "一级指标", "2": "二级指标", "3": "三级指标"}


class ImportCommand(BaseCommand):
    kind = ""

    def add_arguments(self, parser):
        parser.add_argument("file", help="要导入的 .xlsx/.docx 文件")
        parser.add_argument(
            "--dry-run", action="store_true", help="只检查并显示将导入的内容，不写入"
        )

    def scheme(self, code: str) -> Scheme:
        scheme = Scheme.objects.select_related("owner_unit").filter(code=code).first()
        if scheme is None:
            raise CommandError(f"方案“{code}”不存在。")
        return scheme

    def run(self, path: str, *, dry_run: bool, scheme=None, owner=None, options=None) -> dict:
        file = Path(path)
        if not file.is_file():
            raise CommandError(f"文件“{path}”不存在。")
        args = {
            "kind": self.kind,
            "name": file.name,
            "data": file.read_bytes(),
            "scheme": scheme,
            "owner": owner,
            "options": options or {},
        }
        report = import_check(**args) if dry_run else import_apply(**args)
        if not report["ok"]:
            for message in report["errors"]:
                self.stderr.write(message)
            raise CommandError(f"文件有 {len(report['errors'])} 个问题，未写入任何数据。")
        self.print_report(report, dry_run=dry_run)
        return report

    def print_report(self, report: dict, *, dry_run: bool) -> None:
        verb = "将导入" if dry_run else "已导入"
        if "counts" in report:
            for level, count in report["counts"].items():
                self.stdout.write(f"{verb}{LEVEL_NAMES[level]}：{count}")
        for key, label in (
            ("rows", "得分行"),
            ("new", "新增得分"),
            ("changed", "修改得分"),
            ("unchanged", "未变得分"),
            ("units", "新增单位"),
            ("people", "新增人员"),
            ("existing_units", "已存在单位（跳过）"),
            ("existing_people", "已存在人员（跳过）"),
        ):
            if key in report:
                self.stdout.write(f"{label}：{report[key]}")
        unmatched = report.get("unmatched") or []
        if unmatched:
            self.stdout.write(f"未匹配的责任单位名称（{len(unmatched)} 个）：")
            for item in unmatched:
                self.stdout.write(f"  {item['name']}（{'；'.join(item['where'])}）")
        if dry_run:
            self.stdout.write("（试运行，未写入任何数据）")
