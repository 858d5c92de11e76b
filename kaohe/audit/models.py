"""Append-only audit events, chained by HMAC-SHA256 (keyed, see chain.py) so tampering shows."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    """One recorded action: who did what to which object, before and after."""

    occurred_at = models.DateTimeField(_("时间"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_username = models.CharField(_("操作人账号"), max_length=150, blank=True)
    ip_address = models.CharField(_("地址"), max_length=64, blank=True)
    action = models.CharField(_("动作"), max_length=64, db_index=True)
    object_type = models.CharField(_("对象类型"), max_length=64, blank=True)
    object_id = models.CharField(_("对象编号"), max_length=64, blank=True, db_index=True)
    object_repr = models.CharField(_("对象"), max_length=255, blank=True)
    scheme_id = models.BigIntegerField(_("方案编号"), null=True, blank=True, db_index=True)
    message = models.TextField(_("说明"), blank=True)
    before = models.TextField(_("修改前(JSON)"), blank=True)
    after = models.TextField(_("修改后(JSON)"), blank=True)
    prev_hash = models.CharField(_("上一条哈希"), max_length=64)
    hash = models.CharField(_("哈希"), max_length=64, unique=True)
    key_id = models.CharField(_("密钥编号"), max_length=16, blank=True, default="")

    class Meta:
        ordering = ["id"]
        verbose_name = _("审计事件")
        verbose_name_plural = _("审计事件")

    def __str__(self):
        return f"{self.occurred_at:%Y-%m-%d %H:%M:%S} {self.actor_username} {self.action}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise RuntimeError(gettext("审计事件只能追加，不能修改。Audit events are append-only."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise RuntimeError(gettext("审计事件只能追加，不能删除。Audit events are append-only."))


class AuditChainHead(models.Model):
    """The single row holding the newest hash; locked while appending so the chain never forks."""

    last_hash = models.CharField(max_length=64)
    key_id = models.CharField(max_length=16, blank=True, default="")

    class Meta:
        verbose_name = _("审计链头")

    def __str__(self):
        return self.last_hash
