"""The unit tree (province → city → county → department), unit categories and people."""

from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kaohe.common.models import TextGuardMixin, TimeStampedModel

from .choices import PersonLevel


class UnitCategory(TextGuardMixin, models.Model):
    """A kind of unit, e.g. 县区 / 功能区 / 市直部门; subjects are graded by category."""

    code = models.SlugField(_("代码"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=64, unique=True)
    order = models.PositiveIntegerField(_("排序"), default=0)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("单位类别")
        verbose_name_plural = _("单位类别")

    def __str__(self):
        return self.name


class Unit(TimeStampedModel):
    """A government body. `path` holds the ids from the root, so a subtree is a prefix query."""

    name = models.CharField(_("单位名称"), max_length=128)
    short_name = models.CharField(_("简称"), max_length=64, blank=True)
    category = models.ForeignKey(
        UnitCategory, verbose_name=_("类别"), null=True, blank=True, on_delete=models.PROTECT
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField(_("路径"), max_length=255, db_index=True, editable=False, default="")
    order = models.PositiveIntegerField(_("排序"), default=0)
    contact_email = models.EmailField(_("联系邮箱"), blank=True)

    class Meta:
        ordering = ["path"]
        verbose_name = _("单位")
        verbose_name_plural = _("单位")
        constraints = [
            models.UniqueConstraint(fields=["parent", "name"], name="unit_name_unique_in_parent")
        ]

    def __str__(self):
        return self.name

    @property
    def depth(self) -> int:
        return self.path.count("/") - 1 if self.path else 0

    def build_path(self) -> str:
        prefix = self.parent.path if self.parent_id else "/"
        return f"{prefix}{self.pk:08d}/"


class Person(TimeStampedModel):
    """A member of a unit's staff; on-site sampling draws from these."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("单位"), on_delete=models.CASCADE, related_name="people"
    )
    name = models.CharField(_("姓名"), max_length=64)
    post = models.CharField(_("职务"), max_length=64, blank=True)
    level = models.CharField(_("层级"), max_length=16, choices=PersonLevel.choices)
    is_section_level = models.BooleanField(_("科级干部"), default=False)
    is_active = models.BooleanField(_("在职"), default=True)

    class Meta:
        ordering = ["unit", "id"]
        verbose_name = _("人员")
        verbose_name_plural = _("人员")

    def __str__(self):
        return gettext("%(name)s（%(unit)s）") % {"name": self.name, "unit": self.unit}


class UnitGroup(TimeStampedModel):
    """A named set of units an office maintains (领导小组成员单位); task tables name it as one."""

    owner_unit = models.ForeignKey(
        Unit, verbose_name=_("所属考核办单位"), on_delete=models.CASCADE, related_name="+"
    )
    name = models.CharField(
        _("组名"),
        max_length=128,
        help_text=_("与任务分解表中的写法一致，如“市法治政府建设领导小组成员单位”。"),
    )
    members = models.ManyToManyField(
        Unit, verbose_name=_("成员单位"), blank=True, related_name="groups"
    )
    note = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        ordering = ["owner_unit", "name"]
        verbose_name = _("单位组")
        verbose_name_plural = _("单位组")
        constraints = [
            models.UniqueConstraint(fields=["owner_unit", "name"], name="unit_group_unique")
        ]

    def __str__(self):
        return self.name
