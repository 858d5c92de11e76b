"""Users and their role assignments on the unit tree."""

from django.contrib.auth.models import AbstractUser
from django.db import models

from kaohe.common.models import TimeStampedModel

from .choices import Role


class User(AbstractUser):
    """A person who signs in; `unit` is where they work, roles say what they may do."""

    display_name = models.CharField("姓名", max_length=64, blank=True)
    unit = models.ForeignKey(
        "orgs.Unit",
        verbose_name="所在单位",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="users",
    )
    phone = models.CharField("电话", max_length=32, blank=True)

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"

    def __str__(self):
        return self.display_name or self.username


class RoleAssignment(TimeStampedModel):
    """Grants a role on a unit; with include_subtree it also covers every unit below."""

    user = models.ForeignKey(
        User, verbose_name="用户", on_delete=models.CASCADE, related_name="role_assignments"
    )
    role = models.CharField("角色", max_length=32, choices=Role.choices)
    unit = models.ForeignKey(
        "orgs.Unit", verbose_name="单位", on_delete=models.CASCADE, related_name="role_assignments"
    )
    include_subtree = models.BooleanField("含下级单位", default=False)

    class Meta:
        ordering = ["user", "role"]
        verbose_name = "角色分配"
        verbose_name_plural = "角色分配"
        constraints = [
            models.UniqueConstraint(fields=["user", "role", "unit"], name="role_assignment_unique")
        ]

    def __str__(self):
        scope = "及下级" if self.include_subtree else ""
        return f"{self.user} · {self.get_role_display()} · {self.unit}{scope}"
