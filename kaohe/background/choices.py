from django.db import models
from django.utils.translation import gettext_lazy as _


class RunStatus(models.TextChoices):
    READY = "READY", _("排队中")
    RUNNING = "RUNNING", _("运行中")
    SUCCESSFUL = "SUCCESSFUL", _("已完成")
    FAILED = "FAILED", _("失败")


FINISHED = (RunStatus.SUCCESSFUL, RunStatus.FAILED)
