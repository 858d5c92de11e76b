"""Import jobs (upload → preview → apply) and the office's unit-name aliases."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kaohe.common.models import TimeStampedModel

from .choices import ImportKind, JobStatus


class UnitAlias(TimeStampedModel):
    """A name some file uses for a unit (市卫健委 → 市卫生健康委); no unit means "not one unit"."""

    owner_unit = models.ForeignKey(
        "orgs.Unit", verbose_name=_("所属考核办单位"), on_delete=models.CASCADE, related_name="+"
    )
    name = models.CharField(_("文件中的名称"), max_length=128)
    unit = models.ForeignKey(
        "orgs.Unit",
        verbose_name=_("对应单位"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="aliases",
        help_text=_("留空表示该名称不是某一个单位（如“各县市区人民政府”），仅保留原文。"),
    )

    class Meta:
        ordering = ["owner_unit", "name"]
        verbose_name = _("单位别名")
        verbose_name_plural = _("单位别名")
        constraints = [
            models.UniqueConstraint(fields=["owner_unit", "name"], name="unit_alias_unique")
        ]

    def __str__(self):
        return f"{self.name} → {self.unit or gettext('（不对应单位）')}"


class ImportJob(TimeStampedModel):
    """One uploaded file: its check report (the preview) and, once applied, what was written."""

    kind = models.CharField(_("类型"), max_length=16, choices=ImportKind.choices)
    scheme = models.ForeignKey(
        "schemes.Scheme",
        verbose_name=_("方案"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    owner_unit = models.ForeignKey(
        "orgs.Unit", verbose_name=_("考核办单位"), on_delete=models.CASCADE, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("上传人"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    file = models.FileField(_("文件"), upload_to="transfer/%Y/%m/")
    filename = models.CharField(_("文件名"), max_length=255)
    options = models.JSONField(_("选项"), default=dict, blank=True)
    status = models.CharField(
        _("状态"), max_length=16, choices=JobStatus.choices, default=JobStatus.UPLOADED
    )
    report = models.JSONField(_("检查/导入报告"), default=dict, blank=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("导入任务")
        verbose_name_plural = _("导入任务")

    def __str__(self):
        return f"{self.get_kind_display()} {self.filename}"
