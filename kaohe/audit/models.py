"""Append-only audit events, chained by HMAC-SHA256 (keyed, see chain.py) so tampering shows."""

from django.conf import settings
from django.db import models


class AuditEvent(models.Model):
    """One recorded action: who did what to which object, before and after."""

    occurred_at = models.DateTimeField("时间", db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_username = models.CharField("操作人账号", max_length=150, blank=True)
    ip_address = models.CharField("地址", max_length=64, blank=True)
    action = models.CharField("动作", max_length=64, db_index=True)
    object_type = models.CharField("对象类型", max_length=64, blank=True)
    object_id = models.CharField("对象编号", max_length=64, blank=True, db_index=True)
    object_repr = models.CharField("对象", max_length=255, blank=True)
    scheme_id = models.BigIntegerField("方案编号", null=True, blank=True, db_index=True)
    message = models.TextField("说明", blank=True)
    before = models.TextField("修改前(JSON)", blank=True)
    after = models.TextField("修改后(JSON)", blank=True)
    prev_hash = models.CharField("上一条哈希", max_length=64)
    hash = models.CharField("哈希", max_length=64, unique=True)
    key_id = models.CharField("密钥编号", max_length=16, blank=True, default="")

    class Meta:
        ordering = ["id"]
        verbose_name = "审计事件"
        verbose_name_plural = "审计事件"

    def __str__(self):
        return f"{self.occurred_at:%Y-%m-%d %H:%M:%S} {self.actor_username} {self.action}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise RuntimeError("审计事件只能追加，不能修改。Audit events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise RuntimeError("审计事件只能追加，不能删除。Audit events are append-only.")


class AuditChainHead(models.Model):
    """The single row holding the newest hash; locked while appending so the chain never forks."""

    last_hash = models.CharField(max_length=64)
    key_id = models.CharField(max_length=16, blank=True, default="")

    class Meta:
        verbose_name = "审计链头"

    def __str__(self):
        return self.last_hash
