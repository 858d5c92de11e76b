import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kaohe.accounts.choices import Role
from kaohe.background.models import BackgroundRun
from kaohe.common.testing import make_unit, make_user
from kaohe.schemes.models import Indicator
from kaohe.schemes.services import scheme_create
from kaohe.transfer.jobs import run_ref
from kaohe.transfer.models import ImportJob

from . import builders


def _wait(job, statuses, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.status in statuses:
            return job
        time.sleep(0.2)
    raise AssertionError(f"job stuck in {job.status}")


@pytest.mark.django_db(transaction=True)
def test_large_file_runs_in_background_with_progress(client, settings):
    settings.KAOHE_IMPORT_BACKGROUND_BYTES = 0  # every file counts as large
    city = make_unit("某市")
    user = make_user("office", role=Role.OFFICE_ADMIN, unit=city, subtree=True)
    scheme = scheme_create(code="bg", name="bg", year=2021, owner_unit=city)
    client.force_login(user)
    data = builders.xlsx(builders.canonical_rows(3, 10, 12))  # 393 nodes → bulk path
    client.post(
        reverse("transfer:upload", args=["indicators"]),
        {"file": SimpleUploadedFile("big.xlsx", data), "scheme": scheme.pk},
    )
    job = _wait(ImportJob.objects.get(), {"checked", "invalid"})
    assert job.status == "checked", job.report
    client.post(reverse("transfer:job_apply", args=[job.pk]))
    page = client.get(reverse("transfer:job", args=[job.pk])).content.decode()
    job = _wait(job, {"done", "failed"})
    assert job.status == "done", job.report
    assert Indicator.objects.filter(scheme=scheme).count() == 393
    assert "正在导入" in page or job.status == "done"
    response = client.get(reverse("transfer:job_progress", args=[job.pk]))
    assert response["HX-Refresh"] == "true"


@pytest.mark.django_db
def test_progress_fragment_shows_counts(client):
    city = make_unit("某市")
    user = make_user("office", role=Role.OFFICE_ADMIN, unit=city, subtree=True)
    job = ImportJob.objects.create(
        kind="indicators", owner_unit=city, created_by=user, filename="a.xlsx", status="applying"
    )
    BackgroundRun.objects.create(
        task_path="kaohe.transfer.jobs.import_apply_task",
        ref=run_ref(job.pk),
        status="RUNNING",
        phase="apply",
        done=3000,
        total=10000,
    )
    client.force_login(user)
    page = client.get(reverse("transfer:job_progress", args=[job.pk])).content.decode()
    assert "3000 / 10000" in page and 'hx-trigger="every 1s"' in page and "正在导入" in page
    detail = client.get(reverse("transfer:job", args=[job.pk])).content.decode()
    assert "hx-get" in detail and "确认导入" not in detail


@pytest.mark.django_db
def test_given_up_background_step_says_why(client):
    city = make_unit("某市")
    user = make_user("office", role=Role.OFFICE_ADMIN, unit=city, subtree=True)
    job = ImportJob.objects.create(
        kind="indicators", owner_unit=city, created_by=user, filename="a.xlsx", status="applying"
    )
    BackgroundRun.objects.create(
        task_path="kaohe.transfer.jobs.import_apply_task",
        ref=run_ref(job.pk),
        status="FAILED",
        message="运行被中断 3 次（工作进程退出或重启），不再重试；请重新发起。",
    )
    client.force_login(user)
    page = client.get(reverse("transfer:job_progress", args=[job.pk])).content.decode()
    assert "运行被中断 3 次" in page
