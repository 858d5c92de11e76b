"""`kaohe backup OUT.zip`: database and uploaded files in one archive (see docs/security.md)."""

from django.core.management.base import BaseCommand

from kaohe.audit.backup import backup_create


class Command(BaseCommand):
    help = "备份数据库与上传文件到一个 zip 文件 / back up database and media into one archive"

    def add_arguments(self, parser):
        parser.add_argument("out", help="输出文件，如 kaohe-20260101.zip")
        parser.add_argument("--no-media", action="store_true", help="不含上传文件")

    def handle(self, *args, out, no_media=False, **options):
        manifest = backup_create(out, include_media=not no_media)
        total = sum(manifest["counts"].values())
        self.stdout.write(
            f"已备份 {total} 条记录、{manifest['media_files']} 个文件到 {out}"
            f"（数据校验和 {manifest['sha256'][:16]}…）。"
        )
