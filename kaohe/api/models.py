"""Personal API tokens: only a SHA-256 digest of the secret is stored."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from kaohe.common.models import TextGuardMixin

from .choices import TokenScope


class ApiToken(TextGuardMixin, models.Model):
    """A personal access token for the REST API, acting as its user with its scope."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField("名称", max_length=64)
    prefix = models.CharField("前缀", max_length=12, editable=False)
    digest = models.CharField("摘要", max_length=64, unique=True, editable=False)
    scope = models.CharField("权限范围", max_length=8, choices=TokenScope.choices)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    expires_at = models.DateTimeField("有效期至")
    last_used_at = models.DateTimeField("最近使用", null=True, blank=True)
    revoked_at = models.DateTimeField("撤销时间", null=True, blank=True)

    class Meta:
        verbose_name = "接口令牌"
        verbose_name_plural = "接口令牌"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name}（{self.prefix}…）"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()

    @property
    def can_write(self) -> bool:
        return self.scope == TokenScope.WRITE
