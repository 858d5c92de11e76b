from django.db import models


class PersonLevel(models.TextChoices):
    """The levels seed 000's sampling rules talk about."""

    HEAD = "head", "主要负责人"
    LEADERSHIP = "leadership", "班子成员"
    MIDDLE = "middle", "中层干部"
    GENERAL = "general", "一般干部"
    ENFORCEMENT = "enforcement", "行政执法人员"
