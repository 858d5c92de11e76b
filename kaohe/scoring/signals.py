"""Keeping stored results consistent when a lower layer deletes what they point at."""

from django.db.models.signals import pre_delete
from django.dispatch import receiver

from kaohe.schemes.models import Subject

from .models import ComponentResult


@receiver(pre_delete, sender=Subject)
def drop_component_results(sender, instance, **kwargs):
    """ComponentResult rows are bulk-replaced on recompute (no ORM cascade for speed), so a
    withdrawn subject's rows are removed here, before the database refuses the delete."""
    ComponentResult.objects.filter(result__subject=instance).delete()
