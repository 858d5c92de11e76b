"""Uploaded evidence (photos, PDFs, recordings): type checked by content, stored privately."""

from __future__ import annotations

import hashlib
import uuid

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction

from kaohe.audit.services import audit_record

from ..choices import EvidenceKind
from ..models import Evidence

ALLOWED = {
    "image/jpeg": (EvidenceKind.PHOTO, "jpg"),
    "image/png": (EvidenceKind.PHOTO, "png"),
    "image/gif": (EvidenceKind.PHOTO, "gif"),
    "image/webp": (EvidenceKind.PHOTO, "webp"),
    "image/heic": (EvidenceKind.PHOTO, "heic"),
    "application/pdf": (EvidenceKind.PDF, "pdf"),
    "audio/mpeg": (EvidenceKind.AUDIO, "mp3"),
    "audio/m4a": (EvidenceKind.AUDIO, "m4a"),
    "audio/x-wav": (EvidenceKind.AUDIO, "wav"),
    "audio/amr": (EvidenceKind.AUDIO, "amr"),
    "audio/ogg": (EvidenceKind.AUDIO, "ogg"),
    "audio/aac": (EvidenceKind.AUDIO, "aac"),
    "audio/x-flac": (EvidenceKind.AUDIO, "flac"),
}


def evidence_check(uploaded) -> tuple[bytes, str, str, str]:
    """Read an upload and check its type by content (not by name): (content, name, kind, ext)."""
    limit = settings.FILE_UPLOAD_MAX_MB * 1024 * 1024
    name = getattr(uploaded, "name", "文件") or "文件"
    if uploaded.size > limit:
        raise ValidationError(f"文件“{name}”超过 {settings.FILE_UPLOAD_MAX_MB} MB。")
    content = uploaded.read()
    kind = filetype.guess(content[:8192])
    if kind is None or kind.mime not in ALLOWED:
        raise ValidationError(f"文件“{name}”不是允许的类型（照片、PDF 或录音）。")
    return content, name, kind.mime, ALLOWED[kind.mime][1]


def evidence_store(*, subject, checked, actor=None, fill=None, deduction=None) -> Evidence:
    """Store a checked upload under a random name with its SHA-256 (audit by the caller)."""
    content, name, mime, extension = checked
    path = default_storage.save(
        f"onsite/{subject.scheme_id}/{subject.pk}/{uuid.uuid4().hex}.{extension}",
        ContentFile(content),
    )
    return Evidence.objects.create(
        subject=subject,
        fill=fill,
        deduction=deduction,
        file=path,
        original_name=name[:255],
        kind=ALLOWED[mime][0],
        mime=mime,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )


@transaction.atomic
def evidence_attach(*, subject, files, actor=None, fill=None, deduction=None) -> list[Evidence]:
    checked = [evidence_check(f) for f in files]  # all checked before any is stored
    saved = [
        evidence_store(subject=subject, checked=c, actor=actor, fill=fill, deduction=deduction)
        for c in checked
    ]
    for evidence in saved:
        audit_record(
            action="onsite.evidence.upload",
            actor=actor,
            obj=evidence,
            scheme_id=subject.scheme_id,
            after={
                "name": evidence.original_name,
                "sha256": evidence.sha256,
                "size": evidence.size,
            },
        )
    return saved
