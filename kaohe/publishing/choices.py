from django.db import models


class ObjectionStatus(models.TextChoices):
    PENDING = "pending", "待复核"
    UPHELD = "upheld", "复核成立（已调整）"
    REJECTED = "rejected", "复核不成立（维持原分）"


class NoticeOrder(models.TextChoices):
    RANK = "rank", "按名次"
    OFFICIAL = "official", "按单位序列"
