"""`kaohe restore IN.zip`: load a backup into an empty, migrated installation."""

from django.core.management.base import BaseCommand, CommandError

from kaohe.audit import audit_actions
from kaohe.audit.backup import BackupError, backup_restore
from kaohe.audit.services import audit_record, audit_verify


class Command(BaseCommand):
    help = "从备份文件恢复到空系统（先 migrate）/ restore a backup into an empty installation"

    def add_arguments(self, parser):
        parser.add_argument("archive", help="kaohe backup 生成的 zip 文件")
        parser.add_argument(
            "--allow-unsigned",
            action="store_true",
            help="允许恢复旧版本生成的无签名备份（确认来源可信时）",
        )

    def handle(self, *args, archive, allow_unsigned=False, **options):
        try:
            result = backup_restore(archive, allow_unsigned=allow_unsigned)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        report = audit_verify(anchors=False)  # anchors belong to the source installation
        audit_record(
            action=audit_actions.BACKUP_RESTORE,
            after={
                "archive": str(archive),
                "objects": result["objects"],
                "backup_created_at": result["manifest"].get("created_at"),
            },
        )
        self.stdout.write(
            f"已恢复 {result['objects']} 条记录、{result['media_files']} 个文件。"
            + (
                f"审计链完整（{report.checked} 条）。"
                if report.ok
                else f"警告：审计链在事件 #{report.broken_at} 处断裂：{report.reason}"
            )
        )
