"""Materials: upload, replace and remove files, nominees."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from kaohe.audit.services import audit_record
from kaohe.common.uploads import MATERIALS, check_upload
from kaohe.orgs.models import Person
from kaohe.tasks import audit_actions

from ..choices import (
    AWAITING_REVIEW,
    ReviewDecision,
    SpecialForm,
    TaskStatus,
)
from ..models import (
    COMMENT_NOMINEES,
    COMMENT_UPLOADED,
    FileVersion,
    Nominee,
    Submission,
    Task,
    TaskFile,
)
from ..rules import check_enterprises, check_people
from .workflow import MAX_FILES_PER_TASK, _editable, _transition

# --- materials ---------------------------------------------------------------------------


def _pending_submission(task: Task) -> Submission | None:
    if task.status not in AWAITING_REVIEW:
        return None
    return task.submissions.filter(decision=ReviewDecision.PENDING).order_by("-number").first()


def _live_versions(task: Task) -> list[FileVersion]:
    latest = []
    for task_file in task.files.filter(removed=False).prefetch_related("versions"):
        versions = list(task_file.versions.all())
        if versions:
            latest.append(versions[-1])
    return latest


def _refresh_pending(task: Task) -> None:
    """Before review, a replaced file replaces what the reviewer will see."""
    pending = _pending_submission(task)
    if pending is not None:
        pending.versions.set(_live_versions(task))


@transaction.atomic
def material_upload(*, task: Task, upload, actor, replace: TaskFile | None = None) -> FileVersion:
    """Add a file (or a new version of `replace`); checks type by content, size and name."""
    task = Task.objects.select_for_update().get(pk=task.pk)
    _editable(task)
    checked = check_upload(upload, MATERIALS)
    if replace is None:
        if task.files.filter(removed=False).count() >= MAX_FILES_PER_TASK:
            raise ValidationError(
                gettext("每项任务最多 %(n)s 个文件。") % {"n": MAX_FILES_PER_TASK}
            )
        task_file = TaskFile.objects.create(task=task, name=checked.name)
        number = 1
    else:
        if replace.task_id != task.pk or replace.removed:
            raise ValidationError(gettext("要替换的文件不存在。"))
        task_file = replace
        number = task_file.versions.count() + 1
        task_file.name = checked.name
        task_file.save(update_fields=["name", "updated_at"])
    version = FileVersion(
        task_file=task_file,
        number=number,
        name=checked.name,
        kind=checked.kind,
        size=checked.size,
        sha256=checked.sha256,
        uploaded_by=actor,
        uploaded_at=timezone.now(),
    )
    version.file.save(checked.name, checked.content(), save=False)
    version.save()
    if task.status == TaskStatus.NOT_STARTED:
        _transition(task, TaskStatus.DRAFT, actor, COMMENT_UPLOADED)
    _refresh_pending(task)
    audit_record(
        action=audit_actions.TASK_FILE_REPLACE if replace else audit_actions.TASK_FILE_UPLOAD,
        actor=actor,
        obj=version,
        scheme_id=task.scheme_id,
        after={"task": task.pk, "name": checked.name, "sha256": checked.sha256, "version": number},
    )
    return version


@transaction.atomic
def material_remove(*, task_file: TaskFile, actor) -> None:
    """Hide a file from the materials; its versions stay stored for the record."""
    task = Task.objects.select_for_update().get(pk=task_file.task_id)
    _editable(task)
    task_file.removed = True
    task_file.save(update_fields=["removed", "updated_at"])
    _refresh_pending(task)
    audit_record(
        action=audit_actions.TASK_FILE_REMOVE,
        actor=actor,
        obj=task_file,
        scheme_id=task.scheme_id,
        before={"name": task_file.name},
    )


@transaction.atomic
def nominees_save(
    *, task: Task, actor, person_ids: list[int] | None = None, enterprises: list[dict] | None = None
) -> list[Nominee]:
    """Replace the nomination list; refused with the rule in words when it breaks the rule."""
    task = Task.objects.select_for_update().get(pk=task.pk)
    _editable(task)
    if task.special_form == SpecialForm.PEOPLE:
        ids = [int(i) for i in person_ids or []]
        found = {p.pk: p for p in Person.objects.filter(pk__in=ids)}
        if len(found) != len(set(ids)):
            raise ValidationError([gettext("不符合要求：所选人员不存在或不属于本单位。")])
        people = [found[i] for i in ids]
        problems = check_people(task, people)
        rows = [Nominee(task=task, person=p, order=n) for n, p in enumerate(people)]
    elif task.special_form == SpecialForm.ENTERPRISE:
        entries = [
            {k: str(e.get(k, "")).strip() for k in ("enterprise_name", "credit_code", "contact")}
            for e in enterprises or []
        ]
        entries = [e for e in entries if any(e.values())]
        problems = check_enterprises(task, entries)
        rows = [
            Nominee(task=task, order=n, **{**e, "credit_code": e["credit_code"].upper()})
            for n, e in enumerate(entries)
        ]
    else:
        raise ValidationError(gettext("本任务不需要推荐名单。"))
    if problems:
        raise ValidationError(problems)
    task.nominees.all().delete()
    Nominee.objects.bulk_create(rows)
    if task.status == TaskStatus.NOT_STARTED:
        _transition(task, TaskStatus.DRAFT, actor, COMMENT_NOMINEES)
    audit_record(
        action=audit_actions.TASK_NOMINEES_SAVE,
        actor=actor,
        obj=task,
        scheme_id=task.scheme_id,
        after=[_nominee_json(r) for r in rows],
    )
    return rows


def _nominee_json(nominee: Nominee) -> dict:
    if nominee.person_id:
        p = nominee.person
        return {"person": p.pk, "name": p.name, "level": p.level, "section": p.is_section_level}
    return {
        "enterprise": nominee.enterprise_name,
        "credit_code": nominee.credit_code,
        "contact": nominee.contact,
    }
