"""Test factories for API tokens; returns the token row and its secret (shown once)."""

from .services import token_create


def make_token(user, *, name: str = "测试令牌", scope: str = "read"):
    return token_create(user=user, name=name, scope=scope)
