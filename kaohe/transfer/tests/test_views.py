import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from kaohe.accounts.choices import Role
from kaohe.common.testing import assert_view_access, make_unit, make_user
from kaohe.schemes.models import Indicator, Scheme
from kaohe.schemes.services import scheme_create
from kaohe.transfer.models import ImportJob, UnitAlias

from . import builders

pytestmark = pytest.mark.django_db


@pytest.fixture
def other_office(db):
    """An office admin of another city: must see none of 濮阳's data."""
    return make_user("other", role=Role.OFFICE_ADMIN, unit=make_unit("别的市"), subtree=True)


@pytest.fixture
def new_scheme(demo):
    return scheme_create(code="py-2021", name="2021年度", year=2021, owner_unit=demo.owner_unit)


def _upload(client, scheme, data, name="任务分解表.docx", **extra):
    return client.post(
        reverse("transfer:upload", args=["indicators"]),
        {
            "file": SimpleUploadedFile(name, data),
            "scheme": scheme.pk,
            "component": "onsite",
            **extra,
        },
    )


def test_preview_map_aliases_then_apply(office_client, new_scheme):
    response = _upload(office_client, new_scheme, builders.seed_docx())
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "transfer:job", args=[job.pk]
    )
    assert job.status == "checked" and not Indicator.objects.filter(scheme=new_scheme).exists()
    page = office_client.get(response["Location"]).content.decode()
    assert "1 级指标 5 个" in page and "2 级指标 14 个" in page and "市卫健委" in page
    # Map 市卫健委 → 市卫生健康委 in the preview form; the file is checked again.
    names = [u["name"] for u in job.report["unmatched"]]
    index = names.index("市卫健委")
    from kaohe.orgs.models import Unit

    target = Unit.objects.get(name="市卫生健康委")
    office_client.post(
        reverse("transfer:job_aliases", args=[job.pk]),
        {
            f"name-{index}": "市卫健委",
            f"unit-{index}": target.pk,
            "name-0": names[0],
            "unit-0": "none",
        },
    )
    assert UnitAlias.objects.get(name="市卫健委").unit == target
    assert UnitAlias.objects.get(name=names[0]).unit is None
    job.refresh_from_db()
    assert "市卫健委" not in {u["name"] for u in job.report["unmatched"]}
    office_client.post(reverse("transfer:job_apply", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == "done"
    leaf = Indicator.objects.get(scheme=new_scheme, name="机关人员依法行政能力测试")
    assert target in leaf.responsible_units.all()
    # A second apply of the same job is refused.
    office_client.post(reverse("transfer:job_apply", args=[job.pk]))
    assert Indicator.objects.filter(scheme=new_scheme).count() == 19


def test_invalid_file_shows_errors_escaped(office_client, new_scheme):
    rows = builders.canonical_rows(1, 1, 1)
    rows[1][1] = "<script>alert(1)</script>"
    rows[3][6] = "很多"
    _upload(office_client, new_scheme, builders.xlsx(rows), name="bad.xlsx")
    job = ImportJob.objects.get()
    assert job.status == "invalid"
    page = office_client.get(reverse("transfer:job", args=[job.pk])).content.decode()
    assert "“很多”不是有效分值" in page and "<script>alert" not in page
    assert "确认导入" not in page


def test_script_name_shown_escaped_in_preview(office_client, new_scheme):
    rows = builders.canonical_rows(1, 1, 1)
    rows[1][1] = "<script>alert(1)</script>"
    _upload(office_client, new_scheme, builders.xlsx(rows), name="s.xlsx")
    page = office_client.get(
        reverse("transfer:job", args=[ImportJob.objects.get().pk])
    ).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert(1)" not in page


def test_old_format_upload_message(office_client, new_scheme):
    _upload(
        office_client,
        new_scheme,
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512,
        name="旧表.doc",
    )
    page = office_client.get(
        reverse("transfer:job", args=[ImportJob.objects.get().pk])
    ).content.decode()
    assert "请另存为 .xlsx/.docx" in page


def test_upload_for_scheme_of_another_office_is_refused(client, other_office, new_scheme):
    client.force_login(other_office)
    response = _upload(client, new_scheme, builders.seed_docx())
    assert response.status_code in (302, 404)
    assert not ImportJob.objects.exists()


def test_job_pages_only_for_their_uploader(office_client, new_scheme, demo_users, other_office):
    _upload(office_client, new_scheme, builders.seed_docx())
    job = ImportJob.objects.get()
    for name in ("transfer:job", "transfer:job_progress"):
        assert_view_access(
            reverse(name, args=[job.pk]),
            allowed=[demo_users["office"]],
            denied=[other_office, demo_users["qingfeng"], demo_users["team1"]],
        )
    assert_view_access(
        reverse("transfer:job_apply", args=[job.pk]),
        method="post",
        allowed=[],
        denied=[other_office, demo_users["qingfeng"]],
    )


def test_index_and_aliases_for_office_only(demo_users, other_office):
    for name in ("transfer:index", "transfer:aliases"):
        assert_view_access(
            reverse(name),
            allowed=[demo_users["office"], other_office],
            denied=[demo_users["qingfeng"], demo_users["team1"]],
        )


def test_alias_delete_other_office_404(demo_users, other_office):
    from kaohe.transfer.services import unit_alias_save

    alias = unit_alias_save(
        owner_unit=Scheme.objects.get(code="puyang-2020").owner_unit, name="市卫健委"
    )
    url = reverse("transfer:alias_delete", args=[alias.pk])
    assert_view_access(
        url,
        method="post",
        allowed=[demo_users["office"]],
        denied=[other_office, demo_users["qingfeng"]],
    )
    assert not UnitAlias.objects.exists()


def _sheets(response):
    return load_workbook(io.BytesIO(response.content)).sheetnames


def test_scheme_exports_access(demo, demo_users, other_office):
    for name in (
        "results_xlsx",
        "scores_xlsx",
        "indicators_xlsx",
        "indicators_docx",
        "tasks_xlsx",
        "tasks_docx",
    ):
        url = reverse(f"transfer:{name}", args=[demo.pk])
        assert_view_access(
            url,
            allowed=[demo_users["office"], demo_users["team1"], demo_users["qingfeng"]],
            denied=[other_office],
        )
    assert_view_access(
        reverse("transfer:template_scores", args=[demo.pk]),
        allowed=[demo_users["office"]],
        denied=[other_office, demo_users["qingfeng"]],
    )


def test_results_export_layout(demo, demo_users):
    client = Client()
    client.force_login(demo_users["office"])
    response = client.get(reverse("transfer:results_xlsx", args=[demo.pk]))
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["县(区)", "市直部门", "指标得分"]
    ws = workbook["县(区)"]
    header = [c.value for c in ws[1]]
    assert header[:2] == ["名次", "单位"] and "综合成绩" in header and "等次" in header
    assert ws.freeze_panes == "A2" and ws.max_row == 10
    grades = {
        ws.cell(row, 2).value: ws.cell(row, header.index("等次") + 1).value for row in range(2, 11)
    }
    assert grades["清丰县"] == "优秀" and grades["濮阳县"] == "良好"
    assert workbook["市直部门"].max_row == 38


def test_unit_user_sees_only_own_scores_and_only_when_published(demo, demo_users):
    client = Client()
    client.force_login(demo_users["qingfeng"])
    url = reverse("transfer:scores_xlsx", args=[demo.pk])
    ws = load_workbook(io.BytesIO(client.get(url).content)).active
    assert ws.max_row == 1  # scheme still active: nothing
    Scheme.objects.filter(pk=demo.pk).update(status="final")
    ws = load_workbook(io.BytesIO(client.get(url).content)).active
    units = {ws.cell(row, 1).value for row in range(2, ws.max_row + 1)}
    assert units == {"清丰县"}


def test_units_export(demo_users, other_office):
    client = Client()
    client.force_login(demo_users["qingfeng"])
    workbook = load_workbook(io.BytesIO(client.get(reverse("transfer:units_xlsx")).content))
    assert workbook.sheetnames == ["单位"] and workbook["单位"].max_row == 2
    client.force_login(demo_users["office"])
    workbook = load_workbook(io.BytesIO(client.get(reverse("transfer:units_xlsx")).content))
    assert workbook["单位"].max_row > 45 and workbook["人员"].max_row > 1000
    client.force_login(other_office)
    workbook = load_workbook(io.BytesIO(client.get(reverse("transfer:units_xlsx")).content))
    names = {c.value for c in workbook["单位"]["A"]}
    assert "清丰县" not in names and "别的市" in names


def test_alias_page_saves_and_refuses_units_outside(demo, demo_users, other_office):
    from kaohe.orgs.models import Unit

    client = Client()
    client.force_login(demo_users["office"])
    city = demo.owner_unit
    target = Unit.objects.get(name="市卫生健康委")
    response = client.post(
        reverse("transfer:aliases"), {"owner_unit": city.pk, "name": "市 卫健委", "unit": target.pk}
    )
    assert response.status_code == 302
    assert UnitAlias.objects.get(owner_unit=city).name == "市卫健委"
    outside = other_office.unit
    response = client.post(
        reverse("transfer:aliases"), {"owner_unit": city.pk, "name": "外", "unit": outside.pk}
    )
    assert response.status_code == 200 and not UnitAlias.objects.filter(name="外").exists()


def test_stale_job_says_so(office_client, demo_users, demo):
    from datetime import timedelta

    from django.utils import timezone

    job = ImportJob.objects.create(
        kind="scores",
        scheme=demo,
        owner_unit=demo.owner_unit,
        created_by=demo_users["office"],
        filename="a.xlsx",
        status="applying",
    )
    ImportJob.objects.filter(pk=job.pk).update(updated_at=timezone.now() - timedelta(hours=3))
    page = office_client.get(reverse("transfer:job", args=[job.pk])).content.decode()
    assert "可能因服务器重启而中断" in page
