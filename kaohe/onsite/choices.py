from django.db import models
from django.utils.translation import gettext_lazy as _


class DrawStatus(models.TextChoices):
    """A draw is prepared, its seed announced, then executed; nothing changes afterwards."""

    PREPARED = "prepared", _("待公布种子")
    SEEDED = "seeded", _("种子已公布")
    DONE = "done", _("已抽取")
    CANCELLED = "cancelled", _("已作废")


class PopulationSource(models.TextChoices):
    PEOPLE = "people", _("单位人员名册")
    TYPED = "typed", _("现场录入名单")
    IMPORTED = "imported", _("导入清单（粘贴/Excel）")


class SeedSource(models.TextChoices):
    TYPED = "typed", _("现场输入")
    GENERATED = "generated", _("系统生成")


class CheckResult(models.TextChoices):
    PASS = "pass", _("符合")
    PARTIAL = "partial", _("部分符合")
    FAIL = "fail", _("不符合")
    NA = "na", _("不适用")


class EvidenceKind(models.TextChoices):
    PHOTO = "photo", _("照片")
    PDF = "pdf", _("PDF 文件")
    AUDIO = "audio", _("录音")
