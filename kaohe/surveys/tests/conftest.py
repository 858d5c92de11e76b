import pytest
from django.core.cache import caches


@pytest.fixture(autouse=True)
def _clear_survey_cache(db):
    caches["surveys"].clear()
    yield
    caches["surveys"].clear()
