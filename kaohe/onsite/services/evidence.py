"""Uploaded evidence (photos, PDFs, recordings): type checked by content, stored privately."""

from __future__ import annotations

from django.core.files.storage import default_storage
from django.db import transaction

from kaohe.audit.services import audit_record
from kaohe.common.uploads import EVIDENCE, CheckedFile, check_uploads, storage_path
from kaohe.onsite import audit_actions

from ..choices import EvidenceKind
from ..models import Evidence

KIND_OF = {  # checked kind → what the evidence list calls it
    **dict.fromkeys(("jpg", "png", "gif", "webp", "heic"), EvidenceKind.PHOTO),
    "pdf": EvidenceKind.PDF,
    **dict.fromkeys(("mp3", "m4a", "wav", "amr", "ogg", "aac", "flac"), EvidenceKind.AUDIO),
}


def evidence_store(
    *, subject, checked: CheckedFile, actor=None, fill=None, deduction=None
) -> Evidence:
    """Store a checked upload under a random name with its SHA-256 (audit by the caller)."""
    path = default_storage.save(
        storage_path(f"onsite/{subject.scheme_id}/{subject.pk}", checked), checked.content()
    )
    return Evidence.objects.create(
        subject=subject,
        fill=fill,
        deduction=deduction,
        file=path,
        original_name=checked.name[:255],
        kind=KIND_OF[checked.kind],
        mime=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )


@transaction.atomic
def evidence_attach(*, subject, files, actor=None, fill=None, deduction=None) -> list[Evidence]:
    checked = check_uploads(files, EVIDENCE)  # all checked before any is stored
    saved = [
        evidence_store(subject=subject, checked=c, actor=actor, fill=fill, deduction=deduction)
        for c in checked
    ]
    for evidence in saved:
        audit_record(
            action=audit_actions.ONSITE_EVIDENCE_UPLOAD,
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
