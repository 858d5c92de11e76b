from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportKind(models.TextChoices):
    INDICATORS = "indicators", _("指标/任务分解表")
    UNITS = "units", _("单位和人员")
    SCORES = "scores", _("日常考核得分")


class JobStatus(models.TextChoices):
    """An import moves uploaded → checking → checked/invalid → applying → done/failed."""

    UPLOADED = "uploaded", _("已上传")
    CHECKING = "checking", _("检查中")
    CHECKED = "checked", _("待确认")
    INVALID = "invalid", _("有错误")
    APPLYING = "applying", _("导入中")
    DONE = "done", _("已导入")
    FAILED = "failed", _("导入失败")


RUNNING_STATUSES = (JobStatus.UPLOADED, JobStatus.CHECKING, JobStatus.APPLYING)
