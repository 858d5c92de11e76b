from django.db import models


class ItemSource(models.TextChoices):
    DEDUCTION = "deduction", "考核扣分"
    CHECKLIST = "checklist", "检查清单"
    OBJECTION = "objection", "复核"
    OFFICE = "office", "考核办录入"


class ItemStatus(models.TextChoices):
    OPEN = "open", "待整改"
    SUBMITTED = "submitted", "已提交待核验"
    RETURNED = "returned", "退回重改"
    CLOSED = "closed", "已销号"


OPEN_STATUSES = (ItemStatus.OPEN, ItemStatus.SUBMITTED, ItemStatus.RETURNED)
