"""Background task: a nightly backup into KAOHE_BACKUP_DIR (scheduled when it is set)."""

from pathlib import Path

from django.conf import settings
from django.utils import timezone
from django_tasks import task


@task()
def backup_task(folder: str = "", include_media: bool = True) -> dict:
    from .backup import backup_create

    target = Path(folder or settings.KAOHE_BACKUP_DIR)
    target.mkdir(parents=True, exist_ok=True)
    path = target / f"kaohe-{timezone.localtime():%Y%m%d-%H%M}.zip"
    manifest = backup_create(path, include_media=include_media)
    return {"path": str(path), "records": sum(manifest["counts"].values())}
