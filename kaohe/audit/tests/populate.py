"""Put at least one row in every backed-up model, generically, for the restore round trips.

Walks the models in dependency order and fills every field (nullable ones too, so every
relation is exercised) with a value of its type; links point at the first row of the target.
A new model therefore gets a row without anyone remembering to add it here, and a model that
backup/restore cannot carry makes the round-trip test fail.
"""

from __future__ import annotations

import uuid
from datetime import timedelta
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone

from kaohe.audit.backup import backup_models


def _value(field, n: int, model):
    if field.choices:
        return field.choices[0][0]
    if isinstance(field, models.ForeignKey | models.OneToOneField):
        target = field.related_model
        if target is ContentType:
            return ContentType.objects.get_for_model(model)
        row = target._base_manager.order_by("pk").first()
        if row is None and not field.null:
            raise AssertionError(f"{model._meta.label}.{field.name}: no {target._meta.label} yet")
        return row
    if isinstance(field, models.EmailField):
        return f"p{n}@example.gov.cn"
    if isinstance(field, models.GenericIPAddressField):
        return "10.0.0.7"
    if isinstance(field, models.URLField):
        return f"https://example.gov.cn/{n}"
    if isinstance(field, models.FileField):
        return f"populate/{model._meta.model_name}-{n}.pdf"
    if isinstance(field, models.UUIDField):
        return uuid.uuid4()
    if isinstance(field, models.CharField | models.TextField):
        text = f"值{n}·{field.name}"
        return text[: field.max_length] if field.max_length else text + "\n第二行"
    if isinstance(field, models.BooleanField):
        return True
    if isinstance(field, models.DecimalField):
        return Decimal(1).scaleb(-field.decimal_places) * 150 if field.decimal_places else 7
    if isinstance(field, models.FloatField):
        return 1.5
    if isinstance(field, models.IntegerField):
        return n % 30 + 1
    if isinstance(field, models.DateTimeField):
        return timezone.now().replace(microsecond=123456)
    if isinstance(field, models.DateField):
        return timezone.localdate()
    if isinstance(field, models.TimeField):
        return timezone.now().time().replace(microsecond=0)
    if isinstance(field, models.DurationField):
        return timedelta(minutes=n)
    if isinstance(field, models.JSONField):
        return {"值": [n, "甲"]}
    if isinstance(field, models.BinaryField):
        return b"\x00\x01kaohe"
    raise AssertionError(f"populate: no value for {model._meta.label}.{field.name} ({field})")


def populate_every_model() -> list[str]:
    """Add one row (and its many-to-many links) to every backed-up model that has none.

    Returns the labels filled. Rows are inserted with bulk_create, so model save() logic
    and signals do not interfere: the point is the storage, not the business rules.
    """
    from kaohe.audit.services import audit_record

    audit_record(action="test.populate", message="每个模型至少一行")  # the chain, legitimately
    filled = []
    for n, model in enumerate(backup_models(), start=1):
        if model._base_manager.exists():
            continue
        values = {}
        for field in model._meta.concrete_fields:
            if field.primary_key and field.auto_created or isinstance(field, models.AutoField):
                continue
            values[field.name] = _value(field, n, model)
        obj = model(**values)
        model._base_manager.bulk_create([obj])
        obj = model._base_manager.order_by("-pk").first()
        for field in model._meta.local_many_to_many:
            target = field.related_model._base_manager.order_by("pk").first()
            assert target is not None, f"{model._meta.label}.{field.name}: empty target"
            getattr(obj, field.name).add(target)
        filled.append(model._meta.label_lower)
    return filled
