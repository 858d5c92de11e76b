"""On English pages import problems are English, while exported files keep the Chinese
format that imports read back."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from kaohe.schemes.services import scheme_create
from kaohe.transfer.services import import_apply, import_check

from . import builders
from .test_cli_roundtrip import _tree


def test_indicator_export_from_an_english_page_round_trips(demo, demo_users):
    from kaohe.demo import seed2020
    from kaohe.orgs.models import Unit
    from kaohe.transfer.services import unit_alias_save

    client = Client()
    client.force_login(demo_users["office"])
    url = reverse("transfer:indicators_xlsx", args=[demo.pk])
    data = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content
    copy = scheme_create(code="copy-en", name="副本", year=2021, owner_unit=demo.owner_unit)
    for name, full in seed2020.RESPONSIBLE_ALIASES.items():
        unit_alias_save(owner_unit=demo.owner_unit, name=name, unit=Unit.objects.get(name=full))
    with translation.override("en"):
        report = import_apply(kind="indicators", name="tree.xlsx", data=data, scheme=copy)
    assert report["ok"], report
    assert _tree(copy) == _tree(demo)


def test_import_problems_in_english_name_the_chinese_values(fresh_scheme):
    rows = builders.canonical_rows(1, 1, 1)
    rows[3][7] = "打分"  # not a scoring method
    rows[3][0] = ""  # no code
    with translation.override("en"):
        report = import_check(
            kind="indicators",
            name="t.xlsx",
            data=builders.xlsx(rows),
            scheme=fresh_scheme,
            options={"component": "onsite"},
        )
    assert not report["ok"]
    assert report["errors"][0].startswith("Sheet “Sheet1”, row 4, column “")
    assert "“打分” is not a scoring method; choose from: 直接评分" in " ".join(report["errors"])
    assert any(e.endswith(": Code missing.") for e in report["errors"]), report["errors"]


@pytest.mark.django_db(transaction=True)
def test_background_check_reports_in_the_uploaders_language(settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from kaohe.accounts.choices import Role
    from kaohe.common.testing import make_unit, make_user
    from kaohe.transfer.models import ImportJob

    from .test_jobs import _wait

    settings.KAOHE_IMPORT_BACKGROUND_BYTES = 0  # every file counts as large
    city = make_unit("某市")
    scheme = scheme_create(code="bg-en", name="bg", year=2021, owner_unit=city)
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(make_user("office", role=Role.OFFICE_ADMIN, unit=city, subtree=True))
    rows = builders.canonical_rows(1, 1, 1)
    rows[3][0] = ""  # no code
    client.post(
        reverse("transfer:upload", args=["indicators"]),
        {"file": SimpleUploadedFile("t.xlsx", builders.xlsx(rows)), "scheme": scheme.pk},
    )
    job = _wait(ImportJob.objects.get(), {"checked", "invalid"})
    assert job.status == "invalid"
    assert any(e.endswith(": Code missing.") for e in job.report["errors"]), job.report
