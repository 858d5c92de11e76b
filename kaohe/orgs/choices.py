from django.db import models
from django.utils.translation import gettext_lazy as _


class PersonLevel(models.TextChoices):
    """The levels seed 000's sampling rules talk about."""

    HEAD = "head", _("主要负责人")
    LEADERSHIP = "leadership", _("班子成员")
    MIDDLE = "middle", _("中层干部")
    GENERAL = "general", _("一般干部")
    ENFORCEMENT = "enforcement", _("行政执法人员")
