"""The project's background tasks, run through the queue API in immediate mode."""

import zipfile
from decimal import Decimal

import pytest
from django.core.files.storage import default_storage

from kaohe.audit.background import backup_task
from kaohe.background.models import BackgroundRun
from kaohe.common.testing import make_scheme
from kaohe.publishing.background import notice_generate_task
from kaohe.publishing.notice_content import notice_prepare
from kaohe.scoring.background import results_recompute_task
from kaohe.scoring.models import SubjectResult
from kaohe.tasks.background import overdue_sweep_task, reminders_send_task, tasks_generate_task

pytestmark = pytest.mark.django_db


def _run(result):
    run = BackgroundRun.objects.get(pk=int(result.id))
    assert run.status == "SUCCESSFUL", run.message
    return run


def test_reminders_and_overdue_sweep_run_as_tasks():
    assert _run(reminders_send_task.enqueue()).result["sent"] == {}
    assert _run(overdue_sweep_task.enqueue()).result == {"sent": {}, "failed": []}


def test_task_generation_as_a_task():
    scheme = make_scheme("tg")
    result = _run(tasks_generate_task.enqueue(scheme.pk)).result
    assert (result["created"], result["existing"]) == (0, 0) and "已生成 0 项任务" in result[
        "message"
    ]


def test_recompute_as_a_task(demo):
    run = _run(results_recompute_task.enqueue(demo.pk, reason="后台重算"))
    assert run.result["count"] == 46 and SubjectResult.objects.filter(scheme=demo).count() == 46
    assert SubjectResult.objects.get(scheme=demo, subject__unit__name="清丰县").total > Decimal(0)


def test_notice_docx_generated_as_a_task(demo, demo_users):
    notice = notice_prepare(scheme=demo, actor=demo_users["office"])
    run = _run(notice_generate_task.enqueue(notice.pk))
    with default_storage.open(run.result["docx"]) as handle:
        assert zipfile.is_zipfile(handle)
    assert (run.done, run.total, run.phase) == (0, 1, "docx")


def test_backup_as_a_task(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    run = _run(backup_task.enqueue(str(tmp_path / "backups"), include_media=False))
    assert zipfile.is_zipfile(run.result["path"]) and run.result["records"] > 0
