"""Abstract base models shared by every app."""

from django.db import models


class TimeStampedModel(models.Model):
    """Adds created/updated timestamps; every domain table has them."""

    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        abstract = True
