"""`kaohe sweep-uploads`: delete stored files that no row points at (see common/uploads.py)."""

from django.core.management.base import BaseCommand

from kaohe.common.uploads.sweep import orphan_files, orphan_files_delete


class Command(BaseCommand):
    help = "删除没有任何记录引用的上传文件（事务回滚或导入中断留下的文件）。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than", type=float, default=24, help="只处理早于这么多小时的文件（默认 24）"
        )
        parser.add_argument("--dry-run", action="store_true", help="只列出，不删除")

    def handle(self, *args, older_than, dry_run, **options):
        if dry_run:
            names = orphan_files(older_than_hours=older_than)
            verb = "将删除"
        else:
            names = orphan_files_delete(older_than_hours=older_than)
            verb = "已删除"
        for name in names:
            self.stdout.write(name)
        self.stdout.write(f"{verb} {len(names)} 个无引用的文件。")
