"""Shared pytest fixtures: the demo assessment, users by role, HTTP clients."""

import os

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API in live tests


@pytest.fixture
def demo(db):
    """The seeds' 2020 assessment (units, scheme puyang-2020, scores, accounts)."""
    from kaohe.schemes.demo import build_demo

    return build_demo()


@pytest.fixture
def demo_users(demo):
    from kaohe.accounts.models import User

    return {u.username: u for u in User.objects.all()}


@pytest.fixture
def office_client(client, demo_users):
    client.force_login(demo_users["office"])
    return client


@pytest.fixture
def unit_client(client, demo_users):
    """Signed in as 清丰县's unit user."""
    client.force_login(demo_users["qingfeng"])
    return client
