"""Shared helpers for publishing tests."""

from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from kaohe.publishing import services
from kaohe.schemes.models import Indicator, Scheme

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf_upload(name="材料.pdf"):
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


def open_publicity(scheme: Scheme, office) -> Scheme:
    today = timezone.localdate()
    services.scheme_freeze(scheme=scheme, actor=office)
    return services.publicity_open(
        scheme=scheme, start=today - timedelta(days=1), end=today + timedelta(days=5), actor=office
    )


def first_leaf(scheme: Scheme, code_prefix="D") -> Indicator:
    return (
        Indicator.objects.filter(scheme=scheme, children__isnull=True, code__startswith=code_prefix)
        .order_by("code")
        .first()
    )


def end_publicity(scheme: Scheme, office) -> Scheme:
    """Move the publicity period into the past so that the office may finalise."""
    today = timezone.localdate()
    return services.publicity_open(
        scheme=scheme, start=today - timedelta(days=8), end=today - timedelta(days=1), actor=office
    )


def finalise(scheme: Scheme, office) -> Scheme:
    """Freeze (if needed), publicise in the past, finalise."""
    if scheme.status in ("draft", "active"):
        services.scheme_freeze(scheme=scheme, actor=office)
    end_publicity(scheme, office)
    return services.scheme_finalise(scheme=scheme, actor=office)
