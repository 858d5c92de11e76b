"""Backup and restore: the whole database and the uploaded files in one zip archive.

The database goes out as portable JSON lines (Django's python serializer, natural keys for
content types and permissions, full-precision times so the audit hashes still match), so an
archive from SQLite restores into PostgreSQL and back. Restore refuses a non-empty target,
checks the manifest's signature (HMAC with the audit key) and the data checksum, loads everything in one transaction, checks foreign keys,
resets sequences and copies the files back.

Archive layout: manifest.json, data.jsonl (one object per line), media/<file paths>.
"""

from __future__ import annotations

import base64
import hashlib
import json
import zipfile
from contextlib import contextmanager
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import PurePosixPath
from uuid import UUID

from django.apps import apps
from django.core import serializers
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management.color import no_style
from django.db import DatabaseError, connection, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from django.utils.duration import duration_iso_string

from .anchors import anchor_write, sign, signature_ok
from .keys import keyring

FORMAT = "kaohe-backup/1"
# Rebuilt by `migrate` (content types, permissions) or meaningless elsewhere (sessions).
EXCLUDED = {
    "contenttypes.contenttype",
    "auth.permission",
    "sessions.session",
    "accounts.usersession",
}


class BackupError(Exception):
    """The archive cannot be restored here; the message says why."""


def _default(value):
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, Decimal | UUID):
        return str(value)
    if isinstance(value, timedelta):
        return duration_iso_string(value)
    if isinstance(value, bytes | memoryview):
        return base64.b64encode(bytes(value)).decode()
    raise TypeError(f"cannot serialise {type(value).__name__}")


def _dependencies(model, candidates: set) -> set:
    """The other backed-up models this model points at (foreign keys and many-to-many)."""
    deps = set()
    for field in model._meta.get_fields(include_hidden=True):
        if not field.is_relation or field.auto_created and not field.concrete:
            continue
        target = field.related_model
        linked = field.many_to_many or field.many_to_one or field.one_to_one
        if linked and target in candidates and target is not model:
            deps.add(target)
    for parent in model._meta.parents:
        if parent in candidates:
            deps.add(parent)
    return deps


def dependency_order(models: list) -> list:
    """`models` ordered so every model comes after the models it references.

    Rows refer to users (and others with natural keys) by natural key, which can only be
    resolved once the referenced row exists; so a model's rows are written after those of
    every model it points at, across all installed apps (admin log, OTP devices, axes…).
    A cycle (rare; nullable links) is broken at the model with the fewest unmet references,
    whose remaining references are then resolved after loading (deferred fields).
    """
    candidates = set(models)
    deps = {m: _dependencies(m, candidates) for m in models}
    ordered: list = []
    done: set = set()
    remaining = list(models)  # keeps app order among independent models (stable output)
    while remaining:
        ready = [m for m in remaining if deps[m] <= done]
        if not ready:
            ready = [min(remaining, key=lambda m: len(deps[m] - done))]
        for model in ready:
            ordered.append(model)
            done.add(model)
            remaining.remove(model)
    return ordered


def backup_models() -> list:
    """Every concrete, managed model except the excluded ones, in dependency order."""
    result = []
    for config in apps.get_app_configs():
        for model in config.get_models():
            meta = model._meta
            if meta.proxy or not meta.managed or meta.label_lower in EXCLUDED:
                continue
            result.append(model)
    return dependency_order(result)


def _applied_migrations() -> dict[str, list[str]]:
    applied: dict[str, list[str]] = {}
    for app, name in MigrationRecorder(connection).applied_migrations():
        applied.setdefault(app, []).append(name)
    return {app: sorted(names) for app, names in sorted(applied.items())}


def _media_files(storage=default_storage, folder: str = ""):
    try:
        dirs, files = storage.listdir(folder)
    except (FileNotFoundError, NotADirectoryError):
        return
    for name in sorted(files):
        yield f"{folder}/{name}" if folder else name
    for sub in sorted(dirs):
        yield from _media_files(storage, f"{folder}/{sub}" if folder else sub)


def backup_create(path, *, include_media: bool = True) -> dict:
    """Write the archive to `path`; returns the manifest."""
    counts: dict[str, int] = {}
    digest = hashlib.sha256()
    nested = connection.in_atomic_block
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        with transaction.atomic():
            if connection.vendor == "postgresql" and not nested:
                # One consistent snapshot of every table while they are read one by one.
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            with archive.open("data.jsonl", "w", force_zip64=True) as out:
                for model in backup_models():
                    label = model._meta.label_lower
                    qs = model._default_manager.order_by("pk")
                    count = 0
                    for row in serializers.serialize(
                        "python",
                        qs.iterator(chunk_size=1000),
                        use_natural_foreign_keys=True,
                        use_natural_primary_keys=False,
                    ):
                        line = (
                            json.dumps(row, ensure_ascii=False, default=_default, sort_keys=True)
                            + "\n"
                        ).encode()
                        digest.update(line)
                        out.write(line)
                        count += 1
                    counts[label] = count
            migrations = _applied_migrations()
        media = []
        if include_media:
            for name in _media_files():
                with default_storage.open(name, "rb") as src:
                    archive.writestr(f"media/{name}", src.read())
                media.append(name)
        manifest = {
            "format": FORMAT,
            "created_at": timezone.now().isoformat(),
            "database_vendor": connection.vendor,
            "sha256": digest.hexdigest(),
            "counts": counts,
            "media_files": len(media),
            "migrations": migrations,
            "audit_head": _audit_head(),
        }
        manifest = sign(manifest)  # HMAC with the audit key: a re-hashed archive shows
        archive.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=2))
    if manifest["audit_head"]:
        anchor_write(**manifest["audit_head"], reason="backup")
    return manifest


def _audit_head() -> dict:
    from .models import AuditEvent

    newest = AuditEvent.objects.order_by("-id").values("id", "hash").first()
    return {"event_id": newest["id"], "event_hash": newest["hash"]} if newest else {}


def _safe_media_name(name: str) -> str:
    relative = name[len("media/") :]
    parts = PurePosixPath(relative).parts
    if not relative or relative.startswith("/") or ".." in parts or "\\" in relative:
        raise BackupError(f"备份包中的文件名不安全：{name}")
    return relative


def _check_target_empty(labels) -> None:
    busy = []
    for label in labels:
        model = apps.get_model(label)
        if model._default_manager.exists():
            busy.append(label)
    if busy:
        raise BackupError(
            "目标数据库不是空的（已有数据：" + "、".join(busy[:8]) + "）。"
            "请在新建并执行 migrate 的空数据库上恢复。"
        )


def _check_migrations(manifest: dict) -> None:
    here = _applied_migrations()
    missing = [
        f"{app}.{name}"
        for app, names in manifest.get("migrations", {}).items()
        for name in names
        if name not in here.get(app, [])
    ]
    if missing:
        raise BackupError(
            "备份来自更新的程序版本，本系统缺少迁移："
            + "、".join(missing[:5])
            + "。请先升级程序并执行 migrate。"
        )


def backup_restore(path, *, allow_unsigned: bool = False) -> dict:
    """Load the archive at `path` into this (empty, migrated) installation."""
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, FileNotFoundError) as exc:
        raise BackupError(f"无法读取备份文件 {path}：{exc}") from exc
    with archive:
        try:
            manifest = json.loads(archive.read("manifest.json"))
        except (KeyError, ValueError) as exc:
            raise BackupError("备份包缺少有效的 manifest.json。") from exc
        if manifest.get("format") != FORMAT:
            raise BackupError(f"不支持的备份格式：{manifest.get('format')!r}")
        if "signature" not in manifest:
            if not allow_unsigned:
                raise BackupError(
                    "备份包没有签名（旧版本生成）。确认来源可信后用 --allow-unsigned 恢复。"
                )
        elif not signature_ok(manifest, keyring()):
            raise BackupError(
                "备份包签名无效：manifest 被修改，或本系统未配置生成它时的审计密钥"
                f"（密钥编号 {manifest.get('key_id')}，见 KAOHE_AUDIT_OLD_KEYS）。"
            )
        _check_migrations(manifest)
        digest = hashlib.sha256()
        with archive.open("data.jsonl") as stream:
            for line in stream:
                digest.update(line)
        if digest.hexdigest() != manifest.get("sha256"):
            raise BackupError("备份数据校验和不符：文件已损坏或被修改。")
        labels = [label for label, n in manifest.get("counts", {}).items() if n]
        for label in labels:
            try:
                apps.get_model(label)
            except LookupError as exc:
                raise BackupError(f"本系统没有数据表 {label}，无法恢复。") from exc
        media_names = [
            (n, _safe_media_name(n))
            for n in archive.namelist()
            if n.startswith("media/") and not n.endswith("/")
        ]
        _check_target_empty(labels)
        try:
            loaded = _load(archive, labels)
        except (DatabaseError, ValueError) as exc:
            # e.g. NUL in text written by an older version into SQLite, refused by PostgreSQL
            raise BackupError(f"恢复失败，未写入任何数据：{str(exc)[:300]}") from exc
        for entry, name in media_names:
            if default_storage.exists(name):
                default_storage.delete(name)
            saved = default_storage.save(name, ContentFile(archive.read(entry)))
            if saved != name:
                raise BackupError(f"文件 {name} 恢复后名称变为 {saved}。")
    return {"objects": loaded, "media_files": len(media_names), "manifest": manifest}


BATCH = 500


@contextmanager
def _stored_times(model):
    """Keep the archived auto_now/auto_now_add times: bulk_create would stamp "now" on them."""
    fields = [
        f
        for f in model._meta.concrete_fields
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
    ]
    saved = [(f, f.auto_now, f.auto_now_add) for f in fields]
    for f in fields:
        f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, now, now_add in saved:
            f.auto_now, f.auto_now_add = now, now_add


def _flush(model, batch: list) -> None:
    """Insert a batch of one model's rows at once, then their many-to-many links."""
    if model._meta.parents:  # multi-table inheritance cannot be bulk-inserted
        for item in batch:
            item.save()
        return
    with _stored_times(model):
        model._default_manager.bulk_create([item.object for item in batch], batch_size=BATCH)
    for field_name in {name for item in batch for name in (item.m2m_data or {})}:
        relation = getattr(model, field_name)
        field = relation.field
        through = relation.through
        source, target = field.m2m_field_name(), field.m2m_reverse_field_name()
        rows = [
            through(**{f"{source}_id": item.object.pk, f"{target}_id": value})
            for item in batch
            for value in (item.m2m_data or {}).get(field_name, [])
        ]
        through._default_manager.bulk_create(rows, batch_size=BATCH)


@transaction.atomic
def _load(archive: zipfile.ZipFile, labels: list[str]) -> int:
    loaded = 0
    models = set()
    deferred = []
    batch: list = []
    current = None
    with connection.constraint_checks_disabled(), archive.open("data.jsonl") as stream:
        for line in stream:
            row = json.loads(line)
            model = apps.get_model(row["model"])
            if model is not current or len(batch) >= BATCH:
                # Flush first: natural keys in this row may point at the rows just read.
                if batch:
                    _flush(current, batch)
                batch, current = [], model
            for obj in serializers.deserialize(
                "python", [row], handle_forward_references=True, ignorenonexistent=False
            ):
                batch.append(obj)
                models.add(model)
                if obj.deferred_fields:
                    deferred.append(obj)
                loaded += 1
        if batch:
            _flush(current, batch)
        for obj in deferred:
            obj.save_deferred_fields()
    table_names = [m._meta.db_table for m in models]
    for m in models:
        for f in m._meta.local_many_to_many:
            table_names.append(f.remote_field.through._meta.db_table)
    connection.check_constraints(table_names=table_names)
    all_models = list(models) + [
        f.remote_field.through for m in models for f in m._meta.local_many_to_many
    ]
    statements = connection.ops.sequence_reset_sql(no_style(), all_models)
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
    return loaded
