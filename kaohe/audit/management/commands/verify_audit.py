"""`kaohe verify-audit`: walk the keyed audit chain, check the latest anchor, write a new one."""

from django.core.management.base import BaseCommand, CommandError

from kaohe.audit.anchors import anchor_line, anchor_write
from kaohe.audit.services import audit_verify


class Command(BaseCommand):
    help = "校验审计日志哈希链与最新锚点，并写入新锚点 / verify the audit chain against its anchor"

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-anchor", action="store_true", help="只校验，不写入新锚点（只读检查）"
        )

    def handle(self, *args, no_anchor=False, **options):
        report = audit_verify()
        if not report.ok:
            raise CommandError(
                f"审计链在事件 #{report.broken_at} 处断裂：{report.reason}（已校验 {report.checked} 条）"
            )
        keyed = (
            f"自事件 #{report.keyed_from} 起带密钥 {report.key_id}"
            if report.keyed_from
            else "尚无带密钥的事件"
        )
        self.stdout.write(
            f"审计链完整：共 {report.checked} 条事件，{keyed}；{report.anchor}。Audit chain intact."
        )
        if not no_anchor:
            anchor = anchor_write(reason="verify-audit")
            if anchor:
                self.stdout.write("请审计管理员留存（纸质或其他系统）：" + anchor_line(anchor))
