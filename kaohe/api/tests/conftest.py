import pytest
from django.test import Client

from kaohe.api.services import token_create


@pytest.fixture
def bearer(demo_users):
    """bearer(username, scope) → a Client sending that user's new token."""

    def make(username: str, scope: str = "write") -> Client:
        _token, secret = token_create(user=demo_users[username], name=f"{username}-{scope}", scope=scope)
        return Client(HTTP_AUTHORIZATION=f"Bearer {secret}", raise_request_exception=False)

    return make
