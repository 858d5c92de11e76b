from django.db import models
from django.utils.translation import gettext_lazy as _


class ObjectionStatus(models.TextChoices):
    PENDING = "pending", _("待复核")
    UPHELD = "upheld", _("复核成立（已调整）")
    REJECTED = "rejected", _("复核不成立（维持原分）")


class NoticeOrder(models.TextChoices):
    RANK = "rank", _("按名次")
    OFFICIAL = "official", _("按单位序列")
