"""Users and their role assignments on the unit tree."""

import secrets

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kaohe.common.models import TextGuardMixin, TimeStampedModel

from .choices import Role


def new_view_stamp() -> str:
    """A fresh `User.view_stamp` (random, so a re-created account never meets an old entry)."""
    return secrets.token_hex(8)


class User(TextGuardMixin, AbstractUser):
    """A person who signs in; `unit` is where they work, roles say what they may do."""

    display_name = models.CharField(_("姓名"), max_length=64, blank=True)
    unit = models.ForeignKey(
        "orgs.Unit",
        verbose_name=_("所在单位"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="users",
    )
    phone = models.CharField(_("电话"), max_length=32, blank=True)
    password_changed_at = models.DateTimeField(_("密码修改时间"), null=True, blank=True)
    must_change_password = models.BooleanField(
        _("下次登录须修改密码"),
        default=False,
        help_text=_("初始管理员、管理员重置密码后的账号在登录后必须先修改密码。"),
    )
    # Names the cached per-viewer state (roles, the bell, the unit in the header:
    # accounts/viewer.py); replaced whenever any of it changes.
    view_stamp = models.CharField(max_length=16, default=new_view_stamp, editable=False)

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self):
        return self.display_name or self.username

    def save(self, *args, **kwargs):
        """Outside the demo, development and tests no account becomes a superuser (this is
        what stops `createsuperuser` in production)."""
        from django.conf import settings
        from django.core.exceptions import ValidationError

        if self.is_superuser and not getattr(settings, "KAOHE_SUPERUSERS_ALLOWED", False):
            already = self.pk is not None and User.objects.filter(pk=self.pk, is_superuser=True)
            if not already or not already.exists():
                raise ValidationError(
                    gettext(
                        "生产环境不允许创建超级用户：请用 kaohe create-admin 创建三员账号并分配角色。"
                    )
                )
        super().save(*args, **kwargs)

    def set_password(self, raw_password):
        super().set_password(raw_password)
        if raw_password is not None:
            self.password_changed_at = timezone.now()


class RoleAssignment(TimeStampedModel):
    """Grants a role on a unit; with include_subtree it also covers every unit below."""

    user = models.ForeignKey(
        User, verbose_name=_("用户"), on_delete=models.CASCADE, related_name="role_assignments"
    )
    role = models.CharField(_("角色"), max_length=32, choices=Role.choices)
    unit = models.ForeignKey(
        "orgs.Unit",
        verbose_name=_("单位"),
        on_delete=models.CASCADE,
        related_name="role_assignments",
    )
    include_subtree = models.BooleanField(_("含下级单位"), default=False)

    class Meta:
        ordering = ["user", "role"]
        verbose_name = _("角色分配")
        verbose_name_plural = _("角色分配")
        constraints = [
            models.UniqueConstraint(fields=["user", "role", "unit"], name="role_assignment_unique")
        ]

    def __str__(self):
        scope = "及下级" if self.include_subtree else ""
        return f"{self.user} · {self.get_role_display()} · {self.unit}{scope}"


class PasswordHistory(TextGuardMixin, models.Model):
    """A previous password hash, so a user cannot go back to one of the last N passwords."""

    user = models.ForeignKey(
        User, verbose_name=_("用户"), on_delete=models.CASCADE, related_name="password_history"
    )
    password = models.CharField(_("密码哈希"), max_length=128)
    created_at = models.DateTimeField(_("设置时间"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("历史密码")
        verbose_name_plural = _("历史密码")

    def __str__(self):
        return f"{self.user} @ {self.created_at:%Y-%m-%d}"


class UserSession(TextGuardMixin, models.Model):
    """A signed-in session of a user, so they can see where they are signed in and end it."""

    user = models.ForeignKey(
        User, verbose_name=_("用户"), on_delete=models.CASCADE, related_name="login_sessions"
    )
    session_key = models.CharField(_("会话标识"), max_length=64, unique=True)
    ip_address = models.CharField(_("地址"), max_length=64, blank=True)
    user_agent = models.CharField(_("浏览器"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("登录时间"), default=timezone.now)
    last_seen = models.DateTimeField(_("最近活动"), default=timezone.now)

    class Meta:
        ordering = ["-last_seen"]
        verbose_name = _("登录会话")
        verbose_name_plural = _("登录会话")

    def __str__(self):
        return f"{self.user} {self.ip_address} {self.created_at:%Y-%m-%d %H:%M}"
