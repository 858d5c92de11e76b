import pytest

from kaohe.demo import seed2020
from kaohe.orgs.models import Unit
from kaohe.schemes.services import scheme_create
from kaohe.transfer.services import unit_alias_save


@pytest.fixture
def city(db):
    """The seeds' unit tree only (no people, scores or accounts: much faster than `demo`)."""
    from kaohe.demo.builder import build_units

    return build_units()[0]


@pytest.fixture
def fresh_scheme(city):
    """An empty 2021 scheme of the demo city (default components, no indicators)."""
    return scheme_create(
        code="puyang-2021", name="2021年度依法行政考核", year=2021, owner_unit=city
    )


@pytest.fixture
def aliases(city):
    """The office's mapping of seed 000's short names to the unit tree."""
    for name, full in seed2020.RESPONSIBLE_ALIASES.items():
        unit_alias_save(owner_unit=city, name=name, unit=Unit.objects.get(name=full))


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    """Uploaded files go to a temporary folder, not the project's var/."""
    settings.MEDIA_ROOT = tmp_path / "media"
