import uuid

import pytest
from django.core.cache import caches


@pytest.fixture(autouse=True)
def _fresh_survey_cache(db, settings):
    """Counters start at zero in every test. Redis (CI may set REDIS_URL) gets a key prefix of
    its own instead of a FLUSHDB; the database cache table is simply emptied."""
    config = settings.CACHES["surveys"]
    if "redis" in config["BACKEND"].lower():
        settings.CACHES = {
            **settings.CACHES,
            "surveys": {**config, "KEY_PREFIX": f"surveys-test-{uuid.uuid4().hex}"},
        }
        yield
        return
    caches["surveys"].clear()
    yield
    caches["surveys"].clear()
