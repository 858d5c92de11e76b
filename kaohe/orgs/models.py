"""The unit tree (province → city → county → department), unit categories and people."""

from django.db import models

from kaohe.common.models import TextGuardMixin, TimeStampedModel

from .choices import PersonLevel


class UnitCategory(TextGuardMixin, models.Model):
    """A kind of unit, e.g. 县区 / 功能区 / 市直部门; subjects are graded by category."""

    code = models.SlugField("代码", max_length=32, unique=True)
    name = models.CharField("名称", max_length=64, unique=True)
    order = models.PositiveIntegerField("排序", default=0)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = "单位类别"
        verbose_name_plural = "单位类别"

    def __str__(self):
        return self.name


class Unit(TimeStampedModel):
    """A government body. `path` holds the ids from the root, so a subtree is a prefix query."""

    name = models.CharField("单位名称", max_length=128)
    short_name = models.CharField("简称", max_length=64, blank=True)
    category = models.ForeignKey(
        UnitCategory, verbose_name="类别", null=True, blank=True, on_delete=models.PROTECT
    )
    parent = models.ForeignKey(
        "self",
        verbose_name="上级单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField("路径", max_length=255, db_index=True, editable=False, default="")
    order = models.PositiveIntegerField("排序", default=0)
    contact_email = models.EmailField("联系邮箱", blank=True)

    class Meta:
        ordering = ["path"]
        verbose_name = "单位"
        verbose_name_plural = "单位"
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
        Unit, verbose_name="单位", on_delete=models.CASCADE, related_name="people"
    )
    name = models.CharField("姓名", max_length=64)
    post = models.CharField("职务", max_length=64, blank=True)
    level = models.CharField("层级", max_length=16, choices=PersonLevel.choices)
    is_section_level = models.BooleanField("科级干部", default=False)
    is_active = models.BooleanField("在职", default=True)

    class Meta:
        ordering = ["unit", "id"]
        verbose_name = "人员"
        verbose_name_plural = "人员"

    def __str__(self):
        return f"{self.name}（{self.unit}）"


class UnitGroup(TimeStampedModel):
    """A named set of units an office maintains (领导小组成员单位); task tables name it as one."""

    owner_unit = models.ForeignKey(
        Unit, verbose_name="所属考核办单位", on_delete=models.CASCADE, related_name="+"
    )
    name = models.CharField(
        "组名",
        max_length=128,
        help_text="与任务分解表中的写法一致，如“市法治政府建设领导小组成员单位”。",
    )
    members = models.ManyToManyField(
        Unit, verbose_name="成员单位", blank=True, related_name="groups"
    )
    note = models.CharField("说明", max_length=200, blank=True)

    class Meta:
        ordering = ["owner_unit", "name"]
        verbose_name = "单位组"
        verbose_name_plural = "单位组"
        constraints = [
            models.UniqueConstraint(fields=["owner_unit", "name"], name="unit_group_unique")
        ]

    def __str__(self):
        return self.name
