from django.db import models
from django.utils.translation import gettext_lazy as _


class ItemSource(models.TextChoices):
    DEDUCTION = "deduction", _("考核扣分")
    CHECKLIST = "checklist", _("检查清单")
    OBJECTION = "objection", _("复核")
    OFFICE = "office", _("考核办录入")


class ItemStatus(models.TextChoices):
    OPEN = "open", _("待整改")
    SUBMITTED = "submitted", _("已提交待核验")
    RETURNED = "returned", _("退回重改")
    CLOSED = "closed", _("已销号")


OPEN_STATUSES = (ItemStatus.OPEN, ItemStatus.SUBMITTED, ItemStatus.RETURNED)
