"""Every transition and rule of the task workflow, through the services."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from kaohe.audit.models import AuditEvent
from kaohe.notifications.models import Notification
from kaohe.tasks import services
from kaohe.tasks.choices import OVERDUE_FROM, ExtensionStatus, SpecialForm, TaskState, TaskStatus
from kaohe.tasks.models import FileVersion, Task, TaskTransition
from kaohe.tasks.overdue import is_overdue

from .conftest import PDF, PNG, upload

pytestmark = pytest.mark.django_db


def statuses(task):
    return list(task.transitions.order_by("at", "id").values_list("to_status", flat=True))


def test_generate_one_task_per_indicator_and_unit_and_is_idempotent(world):
    assert Task.objects.filter(scheme=world.scheme).count() == 4
    task = world.task()
    assert task.materials == "法治政府建设工作汇报"
    assert task.deadline == world.report.deadline
    assert task.status == TaskStatus.NOT_STARTED
    assert statuses(task) == [TaskStatus.NOT_STARTED]
    again = services.tasks_generate(scheme=world.scheme, actor=world.office)
    assert (again.created, again.existing) == (0, 4)
    assert Task.objects.filter(scheme=world.scheme).count() == 4
    assert TaskTransition.objects.filter(task__scheme=world.scheme).count() == 4


def test_generate_reads_nomination_rules_from_the_materials(world):
    people = world.task(world.people_ind)
    assert people.special_form == SpecialForm.PEOPLE
    assert (people.nominee_count, people.nominee_level, people.min_section_level) == (
        5,
        "enforcement",
        3,
    )
    assert people.rule_text == "推荐5名行政执法人员，其中科级干部不少于3人"
    firm = world.task(world.firm_ind, world.unit_b)
    assert (firm.special_form, firm.nominee_count) == (SpecialForm.ENTERPRISE, 1)
    assert firm.rule_text == "推荐1家民营企业"


def test_generate_skips_indicators_without_deadline(world):
    world.report.deadline = None
    world.report.save()
    Task.objects.all().delete()
    result = services.tasks_generate(scheme=world.scheme, actor=world.office)
    assert result.without_deadline == ["X9"]
    assert result.created == 2


def test_full_cycle_draft_submit_return_resubmit_accept(world):
    task = world.task()
    version = services.material_upload(task=task, upload=upload(), actor=world.user_a)
    task.refresh_from_db()
    assert task.status == TaskStatus.DRAFT
    assert version.sha256 == __import__("hashlib").sha256(PDF).hexdigest()
    assert version.uploaded_by == world.user_a and version.kind == "pdf"
    services.task_submit(task=task, actor=world.user_a, description="第一次")
    task.refresh_from_db()
    assert task.status == TaskStatus.SUBMITTED
    with pytest.raises(ValidationError, match="审核意见"):
        services.task_review(task=task, actor=world.office, accept=False, comment=" ")
    services.task_review(task=task, actor=world.office, accept=False, comment="缺少亮点经验部分")
    task.refresh_from_db()
    assert task.status == TaskStatus.RETURNED
    assert Notification.objects.filter(user=world.user_a, body="缺少亮点经验部分").exists()
    services.material_upload(task=task, upload=upload("补充.png", PNG), actor=world.user_a)
    submission = services.task_submit(task=task, actor=world.user_a, description="已补充")
    assert submission.number == 2 and submission.versions.count() == 2
    task.refresh_from_db()
    assert task.status == TaskStatus.RESUBMITTED
    services.task_review(task=task, actor=world.office, accept=True)
    task.refresh_from_db()
    assert task.status == TaskStatus.ACCEPTED
    assert statuses(task) == [
        TaskStatus.NOT_STARTED,
        TaskStatus.DRAFT,
        TaskStatus.SUBMITTED,
        TaskStatus.RETURNED,
        TaskStatus.RESUBMITTED,
        TaskStatus.ACCEPTED,
    ]
    actors = list(task.transitions.order_by("at", "id").values_list("actor__username", flat=True))
    assert actors == ["office1", "unit_a", "unit_a", "office1", "unit_a", "office1"]
    assert AuditEvent.objects.filter(action="task.transition", object_id=str(task.pk)).count() == 5


def test_accepted_task_is_locked(world):
    task = world.task()
    services.material_upload(task=task, upload=upload(), actor=world.user_a)
    services.task_submit(task=task, actor=world.user_a)
    services.task_review(task=task, actor=world.office, accept=True)
    with pytest.raises(ValidationError, match="不能修改"):
        services.material_upload(task=task, upload=upload(), actor=world.user_a)
    with pytest.raises(ValidationError, match="不能再次提交"):
        services.task_submit(task=task, actor=world.user_a)
    with pytest.raises(ValidationError, match="没有待审核"):
        services.task_review(task=task, actor=world.office, accept=True)


def test_submit_needs_files_and_no_double_submit(world):
    task = world.task()
    with pytest.raises(ValidationError, match="请先上传"):
        services.task_submit(task=task, actor=world.user_a)
    services.material_upload(task=task, upload=upload(), actor=world.user_a)
    services.task_submit(task=task, actor=world.user_a)
    with pytest.raises(ValidationError, match="等待审核"):
        services.task_submit(task=task, actor=world.user_a)


def test_replace_before_review_keeps_versions_and_updates_pending_submission(world):
    task = world.task()
    first = services.material_upload(task=task, upload=upload("a.pdf"), actor=world.user_a)
    submission = services.task_submit(task=task, actor=world.user_a)
    second = services.material_upload(
        task=task,
        upload=upload("a2.pdf", PDF + b"%v2"),
        actor=world.office,
        replace=first.task_file,
    )
    assert second.number == 2 and second.task_file_id == first.task_file_id
    assert FileVersion.objects.filter(task_file=first.task_file).count() == 2
    assert list(submission.versions.all()) == [second]
    assert second.uploaded_by == world.office and second.sha256 != first.sha256
    services.material_remove(task_file=first.task_file, actor=world.user_a)
    assert submission.versions.count() == 0
    assert FileVersion.objects.filter(task_file=first.task_file).count() == 2


def test_replace_refuses_a_file_of_another_task(world):
    other = services.material_upload(
        task=world.task(unit=world.unit_b), upload=upload(), actor=world.user_b
    )
    with pytest.raises(ValidationError, match="不存在"):
        services.material_upload(
            task=world.task(), upload=upload(), actor=world.user_a, replace=other.task_file
        )


def test_several_files_all_or_nothing(world):
    task = world.task()
    with pytest.raises(ValidationError, match="坏.exe"):
        services.materials_upload(
            task=task,
            uploads=[upload("好.pdf"), upload("坏.exe", b"MZ\x90\x00" + b"\x00" * 100)],
            actor=world.user_a,
        )
    assert not FileVersion.objects.exists()
    task.refresh_from_db()
    assert task.status == TaskStatus.NOT_STARTED
    versions = services.materials_upload(
        task=task, uploads=[upload("1.pdf"), upload("2.png", PNG)], actor=world.user_a
    )
    assert [v.kind for v in versions] == ["pdf", "png"]


def test_people_nomination_rule_refused_in_words(world):
    task = world.task(world.people_ind)
    enforcement = [p for p in world.people if p.level == "enforcement"]
    section = [p for p in enforcement if p.is_section_level]
    plain = [p for p in enforcement if not p.is_section_level]
    # 5 people but only 2 section-level
    with pytest.raises(ValidationError) as exc:
        services.nominees_save(
            task=task, actor=world.user_a, person_ids=[p.pk for p in section[:2] + plain]
        )
    text = " ".join(exc.value.messages)
    assert "推荐5名行政执法人员，其中科级干部不少于3人" in text and "当前 2 人" in text
    # 4 people
    with pytest.raises(ValidationError, match="应推荐 5 人，当前 4 人"):
        services.nominees_save(
            task=task, actor=world.user_a, person_ids=[p.pk for p in section + plain[:1]]
        )
    # a middle-level cadre is not enforcement staff
    middle = [p for p in world.people if p.level == "middle"]
    with pytest.raises(ValidationError, match="不是「行政执法人员」"):
        services.nominees_save(
            task=task, actor=world.user_a, person_ids=[p.pk for p in section + plain[:1] + middle]
        )
    # someone of another unit
    with pytest.raises(ValidationError, match="不是本单位在职人员"):
        services.nominees_save(
            task=task,
            actor=world.user_a,
            person_ids=[p.pk for p in section + plain[:1]] + [world.other_person.pk],
        )
    assert not task.nominees.exists()
    good = [p.pk for p in section + plain[:2]]
    services.nominees_save(task=task, actor=world.user_a, person_ids=good)
    assert sorted(task.nominees.values_list("person_id", flat=True)) == sorted(good)
    submission = services.task_submit(task=task, actor=world.user_a)
    assert len(submission.nominees) == 5 and sum(n["section"] for n in submission.nominees) == 3


def test_submit_refuses_a_nomination_task_without_its_list(world):
    task = world.task(world.people_ind)
    services.material_upload(task=task, upload=upload(), actor=world.user_a)
    with pytest.raises(ValidationError, match="应推荐 5 人，当前 0 人"):
        services.task_submit(task=task, actor=world.user_a)


def test_enterprise_nomination(world):
    task = world.task(world.firm_ind, world.unit_b)
    with pytest.raises(ValidationError, match="推荐1家民营企业.*当前 2 家"):
        services.nominees_save(
            task=task,
            actor=world.user_b,
            enterprises=[{"enterprise_name": "甲公司"}, {"enterprise_name": "乙公司"}],
        )
    with pytest.raises(ValidationError, match="18 位"):
        services.nominees_save(
            task=task,
            actor=world.user_b,
            enterprises=[{"enterprise_name": "甲", "credit_code": "123"}],
        )
    services.nominees_save(
        task=task,
        actor=world.user_b,
        enterprises=[
            {
                "enterprise_name": "濮阳某某建材有限公司",
                "credit_code": "91410900mA44XXXX0X",
                "contact": "张三",
            }
        ],
    )
    task.refresh_from_db()
    assert task.status == TaskStatus.DRAFT
    assert task.nominees.get().credit_code == "91410900MA44XXXX0X"
    services.task_submit(task=task, actor=world.user_b)


def test_nominees_refused_for_ordinary_task(world):
    with pytest.raises(ValidationError, match="不需要推荐名单"):
        services.nominees_save(task=world.task(), actor=world.user_a, person_ids=[])


def test_overdue_is_derived_and_ends_with_an_approved_extension(world):
    task = world.task()
    services.material_upload(task=task, upload=upload(), actor=world.user_a)
    late_day = task.deadline + timedelta(days=1)
    assert not is_overdue(task, task.deadline)  # due today is not late
    assert is_overdue(task, late_day)
    assert list(Task.objects.overdue(late_day)) == list(
        Task.objects.filter(deadline__lt=late_day, status__in=OVERDUE_FROM)
    )
    assert task.pk in Task.objects.overdue(late_day).values_list("pk", flat=True)
    assert Task.objects.with_state(late_day).get(pk=task.pk).state == TaskState.OVERDUE
    task.refresh_from_db()
    assert task.status == TaskStatus.DRAFT  # nothing stored
    old = task.deadline
    with pytest.raises(ValidationError, match="须晚于"):
        services.extension_request(
            task=task, actor=world.user_a, reason="x", requested_deadline=old
        )
    new = timezone.localdate() + timedelta(days=40)
    ext = services.extension_request(
        task=task, actor=world.user_a, reason="材料需盖章", requested_deadline=new
    )
    with pytest.raises(ValidationError, match="正在审批"):
        services.extension_request(
            task=task, actor=world.user_a, reason="再申请", requested_deadline=new
        )
    services.extension_decide(extension=ext, actor=world.office, approve=True, comment="同意")
    ext.refresh_from_db()
    task.refresh_from_db()
    assert (ext.status, ext.old_deadline, ext.new_deadline) == (ExtensionStatus.APPROVED, old, new)
    assert task.deadline == new and task.status == TaskStatus.DRAFT
    assert not is_overdue(task, late_day)
    assert Task.objects.with_state(late_day).get(pk=task.pk).state == TaskStatus.DRAFT
    with pytest.raises(ValidationError, match="已经审批过"):
        services.extension_decide(extension=ext, actor=world.office, approve=False)


def test_extension_refused_keeps_deadline(world):
    task = world.task()
    old = task.deadline
    ext = services.extension_request(
        task=task, actor=world.user_a, reason="忙", requested_deadline=old + timedelta(days=5)
    )
    services.extension_decide(
        extension=ext, actor=world.office, approve=False, comment="不符合条件"
    )
    ext.refresh_from_db()
    task.refresh_from_db()
    assert ext.status == ExtensionStatus.REFUSED and ext.new_deadline is None
    assert task.deadline == old
    assert Notification.objects.filter(user=world.user_a, title__contains="未获批准").exists()


def test_extension_approved_to_another_date(world):
    task = world.task()
    old = task.deadline
    ext = services.extension_request(
        task=task, actor=world.user_a, reason="r", requested_deadline=old + timedelta(days=10)
    )
    services.extension_decide(
        extension=ext, actor=world.office, approve=True, new_deadline=old + timedelta(days=3)
    )
    task.refresh_from_db()
    assert task.deadline == old + timedelta(days=3)


def test_submitted_task_is_not_overdue(world):
    task = world.task()
    services.material_upload(task=task, upload=upload(), actor=world.user_a)
    services.task_submit(task=task, actor=world.user_a)
    later = task.deadline + timedelta(days=2)
    assert world.task().status == TaskStatus.SUBMITTED
    assert not is_overdue(world.task(), later)
    assert task.pk not in Task.objects.overdue(later).values_list("pk", flat=True)


def test_returned_task_past_deadline_is_overdue(world):
    task = world.task()
    services.material_upload(task=task, upload=upload(), actor=world.user_a)
    services.task_submit(task=task, actor=world.user_a)
    services.task_review(task=world.task(), actor=world.office, accept=False, comment="补充")
    assert is_overdue(world.task(), task.deadline + timedelta(days=1))


def test_task_update_by_office(world):
    task = world.task()
    services.task_update(
        task=task,
        data={"special_form": "enterprise", "nominee_count": 2, "materials": "新要求"},
        actor=world.office,
    )
    task.refresh_from_db()
    assert (task.special_form, task.nominee_count, task.materials) == ("enterprise", 2, "新要求")
    with pytest.raises(ValidationError):
        services.task_update(
            task=task, data={"special_form": "people", "nominee_count": 0}, actor=world.office
        )


def test_migration_gives_stored_overdue_tasks_their_status_back(world):
    """tasks 0004: a task a job had marked 已逾期 returns to the status it had before."""
    import importlib

    from django.apps import apps

    migration = importlib.import_module("kaohe.tasks.migrations.0004_overdue_derived")
    task = world.task()
    services.material_upload(task=task, upload=upload(), actor=world.user_a)  # → draft
    TaskTransition.objects.create(
        task=task,
        from_status="draft",
        to_status="overdue",
        at=timezone.now(),
        on=timezone.localdate(),
    )
    Task.objects.filter(pk=task.pk).update(status="overdue")
    untouched = Task.objects.exclude(pk=task.pk).first()
    Task.objects.filter(pk=untouched.pk).update(status="overdue")  # no transition recorded
    migration.unstore_overdue(apps, None)
    assert Task.objects.get(pk=task.pk).status == TaskStatus.DRAFT
    assert Task.objects.get(pk=untouched.pk).status == TaskStatus.NOT_STARTED
