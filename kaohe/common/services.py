"""Helpers for write services (HackSoft styleguide `model_update`)."""

from typing import Any

from django.db import models


def model_update(*, instance: models.Model, fields: list[str], data: dict[str, Any]):
    """Set the given fields from data, validate, save only what changed.

    Returns (instance, changes) where changes maps field → (before, after), ready
    for the audit event.
    """
    changes: dict[str, tuple[Any, Any]] = {}
    for field in fields:
        if field not in data:
            continue
        before = getattr(instance, field)
        after = data[field]
        if before != after:
            changes[field] = (before, after)
            setattr(instance, field, after)
    if changes:
        instance.full_clean()
        update_fields = list(changes)
        if any(f.name == "updated_at" for f in instance._meta.fields):
            update_fields.append("updated_at")
        instance.save(update_fields=update_fields)
    return instance, changes
