import pytest
from django.core.cache import cache
from django.test import Client

from kaohe.api.services import token_create


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()  # rate-limit counters live in the cache; ids repeat between tests


@pytest.fixture
def bearer(demo_users):
    """bearer(username, scope) → a Client sending that user's new token."""

    def make(username: str, scope: str = "write", name: str = "") -> Client:
        _token, secret = token_create(
            user=demo_users[username], name=name or f"{username}-{scope}", scope=scope
        )
        return Client(HTTP_AUTHORIZATION=f"Bearer {secret}", raise_request_exception=False)

    return make
