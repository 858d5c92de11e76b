"""Sweeping stored files that no row points at (`kaohe sweep-uploads`, a periodic task)."""


def _stored_names() -> set[str]:
    """Every name a FileField row of any installed model points at."""
    from django.apps import apps
    from django.db import models

    names: set[str] = set()
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if isinstance(field, models.FileField):
                names.update(
                    n for n in model._default_manager.values_list(field.name, flat=True) if n
                )
    return names


def _walk(storage, folder: str = ""):
    directories, files = storage.listdir(folder)
    for name in files:
        yield f"{folder}/{name}" if folder else name
    for directory in directories:
        yield from _walk(storage, f"{folder}/{directory}" if folder else directory)


def orphan_files(*, older_than_hours: float = 24) -> list[str]:
    """Stored files no row points at: left by a rolled-back transaction, an import whose job
    was deleted, or a crash between saving a file and its row. Young files are left alone, so
    a request still in its transaction never loses the file it just wrote."""
    from datetime import timedelta

    from django.core.files.storage import default_storage
    from django.utils import timezone

    keep = _stored_names()
    cutoff = timezone.now() - timedelta(hours=older_than_hours)
    found = []
    try:
        candidates = list(_walk(default_storage))
    except FileNotFoundError:
        return []
    for name in candidates:
        if name in keep:
            continue
        try:
            modified = default_storage.get_modified_time(name)
        except (OSError, NotImplementedError):
            continue
        if modified < cutoff:
            found.append(name)
    return sorted(found)


def orphan_files_delete(*, older_than_hours: float = 24) -> list[str]:
    """Delete `orphan_files` (the periodic sweep and `kaohe sweep-uploads` call this)."""
    from django.core.files.storage import default_storage

    removed = orphan_files(older_than_hours=older_than_hours)
    for name in removed:
        default_storage.delete(name)
    return removed
