from django.db import models


class DrawStatus(models.TextChoices):
    """A draw is prepared, its seed announced, then executed; nothing changes afterwards."""

    PREPARED = "prepared", "待公布种子"
    SEEDED = "seeded", "种子已公布"
    DONE = "done", "已抽取"
    CANCELLED = "cancelled", "已作废"


class PopulationSource(models.TextChoices):
    PEOPLE = "people", "单位人员名册"
    TYPED = "typed", "现场录入名单"
    IMPORTED = "imported", "导入清单（粘贴/Excel）"


class SeedSource(models.TextChoices):
    TYPED = "typed", "现场输入"
    GENERATED = "generated", "系统生成"


class CheckResult(models.TextChoices):
    PASS = "pass", "符合"
    PARTIAL = "partial", "部分符合"
    FAIL = "fail", "不符合"
    NA = "na", "不适用"


class EvidenceKind(models.TextChoices):
    PHOTO = "photo", "照片"
    PDF = "pdf", "PDF 文件"
    AUDIO = "audio", "录音"
