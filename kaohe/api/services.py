"""Writes of the API app: personal tokens are created and revoked here (audited)."""

import hashlib
import secrets
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from kaohe.audit.services import audit_record

from . import audit_actions
from .choices import TokenScope
from .models import ApiToken

TOKEN_PREFIX = "kh_"  # noqa: S105 - the visible prefix, not a secret
MAX_DAYS = 3650
DEFAULT_DAYS = 90


def token_digest(secret: str) -> str:
    """Tokens are 256 random bits, so one SHA-256 (no slow hash) is enough to store them."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


@transaction.atomic
def token_create(
    *, user, name: str, scope: str = TokenScope.READ, days: int = DEFAULT_DAYS, actor=None
) -> tuple[ApiToken, str]:
    """Create a token for `user`; returns it with the secret, which is never stored or shown
    again."""
    name = (name or "").strip()
    if not name or len(name) > 64:
        raise ValidationError({"name": "令牌名称必填，最多 64 个字符。"})
    if scope not in TokenScope.values:
        raise ValidationError({"scope": "权限范围只能是 read 或 write。"})
    if not 1 <= days <= MAX_DAYS:
        raise ValidationError({"days": f"有效期为 1 至 {MAX_DAYS} 天。"})
    if not user.is_active:
        raise ValidationError("该账号已停用，不能创建令牌。")
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name,
        prefix=secret[:10],
        digest=token_digest(secret),
        scope=scope,
        expires_at=timezone.now() + timedelta(days=days),
    )
    audit_record(
        action=audit_actions.TOKEN_CREATE,
        actor=actor or user,
        obj=token,
        after={"user": user.get_username(), "name": name, "scope": scope, "days": days},
    )
    return token, secret


@transaction.atomic
def token_revoke(*, token: ApiToken, actor) -> ApiToken:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record(
            action=audit_actions.TOKEN_REVOKE,
            actor=actor,
            obj=token,
            after={"user": token.user.get_username(), "name": token.name},
        )
    return token
