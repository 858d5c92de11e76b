"""Reads of tokens: the user's own list, one token of the user's, and bearer lookup."""

from datetime import timedelta

from django.http import Http404
from django.utils import timezone

from .models import ApiToken
from .services import TOKEN_PREFIX, token_digest

TOUCH_EVERY = timedelta(seconds=60)


def user_tokens(user):
    return ApiToken.objects.filter(user=user)


def access_token(user, pk) -> ApiToken:
    """Only the owner sees or revokes a token; anything else is the same 404."""
    token = user_tokens(user).filter(pk=pk).first()
    if token is None:
        raise Http404("令牌不存在")
    return token


def token_for_secret(secret: str) -> ApiToken | None:
    """The live token for a bearer secret (not revoked, not expired, active user)."""
    if not secret.startswith(TOKEN_PREFIX) or len(secret) > 100:
        return None
    now = timezone.now()
    token = (
        ApiToken.objects.select_related("user")
        .filter(digest=token_digest(secret), revoked_at__isnull=True, expires_at__gt=now)
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    if token.last_used_at is None or now - token.last_used_at > TOUCH_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
