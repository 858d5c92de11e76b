from django.db import models


class ImportKind(models.TextChoices):
    INDICATORS = "indicators", "指标/任务分解表"
    UNITS = "units", "单位和人员"
    SCORES = "scores", "日常考核得分"


class JobStatus(models.TextChoices):
    """An import moves uploaded → checking → checked/invalid → applying → done/failed."""

    UPLOADED = "uploaded", "已上传"
    CHECKING = "checking", "检查中"
    CHECKED = "checked", "待确认"
    INVALID = "invalid", "有错误"
    APPLYING = "applying", "导入中"
    DONE = "done", "已导入"
    FAILED = "failed", "导入失败"


RUNNING_STATUSES = (JobStatus.UPLOADED, JobStatus.CHECKING, JobStatus.APPLYING)
