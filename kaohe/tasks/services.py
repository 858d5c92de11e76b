"""Writes for tasks: generation, materials, submission, review, nominations, extensions.

Each service is keyword-only, runs in one transaction and writes its audit event; a refused
action raises ValidationError with the reason in words and writes nothing.
"""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from kaohe.audit.services import audit_record
from kaohe.orgs.models import Person

from . import files as file_checks
from .choices import (
    AWAITING_REVIEW,
    EDITABLE_STATUSES,
    ExtensionStatus,
    ReviewDecision,
    SpecialForm,
    TaskStatus,
)
from .models import (
    ExtensionRequest,
    FileVersion,
    Nominee,
    Submission,
    Task,
    TaskFile,
    TaskTransition,
)
from .notify import notify_unit
from .responsibility import responsible_pairs
from .rules import check_enterprises, check_people, parse_rule

MAX_FILES_PER_TASK = 50


def _transition(task: Task, to: str, actor, comment: str = "") -> None:
    """Move the task and record who/when; the only place status changes."""
    now = timezone.now()
    TaskTransition.objects.create(
        task=task,
        from_status=task.status,
        to_status=to,
        actor=actor,
        at=now,
        on=timezone.localdate(now),
        comment=comment,
    )
    audit_record(
        action="task.transition",
        actor=actor,
        obj=task,
        scheme_id=task.scheme_id,
        before={"status": task.status},
        after={"status": to},
        message=comment[:500],
    )
    task.status = to
    task.status_changed_at = now
    task.save(update_fields=["status", "status_changed_at", "updated_at"])


def _editable(task: Task) -> None:
    if task.status not in EDITABLE_STATUSES:
        raise ValidationError(f"任务当前状态为「{task.get_status_display()}」，材料已不能修改。")


# --- generation -------------------------------------------------------------------------


@dataclass(frozen=True)
class GenerateResult:
    created: int
    existing: int
    without_deadline: list[str]
    task_ids: list[int]


@transaction.atomic
def tasks_generate(*, scheme, actor=None, default_deadline: date | None = None) -> GenerateResult:
    """One task per indicator × responsible unit (named, group member or subject of a named
    category); running it again creates only what is missing."""
    from kaohe.schemes.models import Indicator

    indicators = {i.pk: i for i in Indicator.objects.filter(scheme=scheme)}
    pairs = responsible_pairs(scheme)
    existing = set(Task.objects.filter(scheme=scheme).values_list("indicator_id", "unit_id"))
    rules = {pk: parse_rule(i.materials) for pk, i in indicators.items()}
    assigned_by = actor.pk if getattr(actor, "is_authenticated", False) else None
    new, without_deadline, kept = [], [], 0
    for indicator_id, unit_id in pairs:
        indicator = indicators[indicator_id]
        deadline = indicator.deadline or default_deadline
        if (indicator_id, unit_id) in existing:
            kept += 1
            continue
        if deadline is None:
            if indicator.code not in without_deadline:
                without_deadline.append(indicator.code)
            continue
        rule = rules[indicator_id]
        new.append(
            Task(
                scheme_id=scheme.pk,
                indicator_id=indicator_id,
                unit_id=unit_id,
                materials=indicator.materials,
                deadline=deadline,
                special_form=rule.form,
                nominee_count=rule.count,
                nominee_level=rule.level,
                min_section_level=rule.min_section,
                assigned_by_id=assigned_by,
            )
        )
    Task.objects.bulk_create(new, batch_size=1000)
    now = timezone.now()
    TaskTransition.objects.bulk_create(
        [
            TaskTransition(
                task_id=pk,
                to_status=TaskStatus.NOT_STARTED,
                actor_id=assigned_by,
                at=now,
                on=timezone.localdate(now),
                comment="任务下达",
            )
            for pk in (t.pk for t in new)
        ],
        batch_size=2000,
    )
    audit_record(
        action="task.generate",
        actor=actor,
        obj=scheme,
        scheme_id=scheme.pk,
        after={"created": len(new), "existing": kept, "without_deadline": without_deadline},
    )
    return GenerateResult(len(new), kept, without_deadline, [t.pk for t in new])


TASK_FIELDS = [
    "materials",
    "deadline",
    "special_form",
    "nominee_count",
    "nominee_level",
    "min_section_level",
]


@transaction.atomic
def task_update(*, task: Task, data: dict, actor=None) -> Task:
    """The office edits a task's requirements (not its deadline once extensions exist)."""
    from kaohe.common.services import model_update

    if data.get("special_form") == SpecialForm.NONE:
        data = {**data, "nominee_count": 0, "nominee_level": "", "min_section_level": 0}
    elif data.get("special_form") and not data.get("nominee_count"):
        raise ValidationError({"nominee_count": "推荐名单须填写推荐人数/家数。"})
    task, changes = model_update(instance=task, fields=TASK_FIELDS, data=data)
    if changes:
        audit_record(
            action="task.update",
            actor=actor,
            obj=task,
            scheme_id=task.scheme_id,
            before={k: v[0] for k, v in changes.items()},
            after={k: v[1] for k, v in changes.items()},
        )
    return task


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
    checked = file_checks.check_upload(upload)
    if replace is None:
        if task.files.filter(removed=False).count() >= MAX_FILES_PER_TASK:
            raise ValidationError(f"每项任务最多 {MAX_FILES_PER_TASK} 个文件。")
        task_file = TaskFile.objects.create(task=task, name=checked.name)
        number = 1
    else:
        if replace.task_id != task.pk or replace.removed:
            raise ValidationError("要替换的文件不存在。")
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
    upload.seek(0)
    version.file.save(checked.name, upload, save=False)
    version.save()
    if task.status == TaskStatus.NOT_STARTED:
        _transition(task, TaskStatus.DRAFT, actor, "上传材料")
    _refresh_pending(task)
    audit_record(
        action="task.file.replace" if replace else "task.file.upload",
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
        action="task.file.remove",
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
            raise ValidationError(["不符合要求：所选人员不存在或不属于本单位。"])
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
        raise ValidationError("本任务不需要推荐名单。")
    if problems:
        raise ValidationError(problems)
    task.nominees.all().delete()
    Nominee.objects.bulk_create(rows)
    if task.status == TaskStatus.NOT_STARTED:
        _transition(task, TaskStatus.DRAFT, actor, "填写推荐名单")
    audit_record(
        action="task.nominees.save",
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


# --- submission and review ---------------------------------------------------------------


@transaction.atomic
def task_submit(*, task: Task, actor, description: str = "") -> Submission:
    """Submit the current materials for review (again, after a return)."""
    task = Task.objects.select_for_update().get(pk=task.pk)
    if task.status in AWAITING_REVIEW:
        raise ValidationError("材料已提交，正在等待审核。")
    if task.status == TaskStatus.ACCEPTED:
        raise ValidationError("任务已通过审核，不能再次提交。")
    versions = _live_versions(task)
    nominees = [_nominee_json(n) for n in task.nominees.select_related("person")]
    if task.special_form:
        problems = (
            check_people(task, [n.person for n in task.nominees.select_related("person")])
            if task.special_form == SpecialForm.PEOPLE
            else check_enterprises(
                task,
                [
                    {"enterprise_name": n["enterprise"], "credit_code": n["credit_code"]}
                    for n in nominees
                ],
            )
        )
        if problems:
            raise ValidationError(problems)
    elif not versions:
        raise ValidationError("请先上传材料文件再提交。")
    before = task.submissions.count()
    submission = Submission.objects.create(
        task=task,
        number=before + 1,
        description=description.strip(),
        nominees=nominees,
        submitted_by=actor,
        submitted_at=timezone.now(),
    )
    submission.versions.set(versions)
    task.note = description.strip()
    task.save(update_fields=["note", "updated_at"])
    to = TaskStatus.RESUBMITTED if before else TaskStatus.SUBMITTED
    _transition(task, to, actor, description.strip())
    return submission


@transaction.atomic
def task_review(*, task: Task, actor, accept: bool, comment: str = "") -> Submission:
    """Accept or return the pending submission; a return needs a comment for the unit."""
    task = Task.objects.select_for_update().get(pk=task.pk)
    submission = _pending_submission(task)
    if submission is None:
        raise ValidationError(f"任务当前状态为「{task.get_status_display()}」，没有待审核的提交。")
    comment = comment.strip()
    if not accept and not comment:
        raise ValidationError({"comment": "退回时必须填写审核意见，说明需要补充或修改的内容。"})
    submission.decision = ReviewDecision.ACCEPTED if accept else ReviewDecision.RETURNED
    submission.review_comment = comment
    submission.reviewed_by = actor
    submission.reviewed_at = timezone.now()
    submission.save()
    _transition(task, TaskStatus.ACCEPTED if accept else TaskStatus.RETURNED, actor, comment)
    verb = "已通过审核" if accept else "被退回，请按意见修改后重新提交"
    notify_unit(task=task, title=f"任务「{task.indicator.name}」{verb}", body=comment)
    return submission


# --- deadlines ---------------------------------------------------------------------------


@transaction.atomic
def extension_request(
    *, task: Task, actor, reason: str, requested_deadline: date
) -> ExtensionRequest:
    task = Task.objects.select_for_update().get(pk=task.pk)
    if task.status == TaskStatus.ACCEPTED:
        raise ValidationError("任务已通过审核，无需延期。")
    if not reason.strip():
        raise ValidationError({"reason": "请填写延期理由。"})
    if requested_deadline <= task.deadline:
        raise ValidationError(
            {"requested_deadline": f"申请的日期须晚于当前截止日期 {task.deadline}。"}
        )
    if task.extensions.filter(status=ExtensionStatus.PENDING).exists():
        raise ValidationError("已有一项延期申请正在审批中。")
    extension = ExtensionRequest.objects.create(
        task=task,
        reason=reason.strip(),
        old_deadline=task.deadline,
        requested_deadline=requested_deadline,
        requested_by=actor,
        requested_at=timezone.now(),
    )
    audit_record(
        action="task.extension.request",
        actor=actor,
        obj=extension,
        scheme_id=task.scheme_id,
        after={
            "task": task.pk,
            "old": task.deadline,
            "requested": requested_deadline,
            "reason": reason,
        },
    )
    return extension


@transaction.atomic
def extension_decide(
    *,
    extension: ExtensionRequest,
    actor,
    approve: bool,
    comment: str = "",
    new_deadline: date | None = None,
) -> ExtensionRequest:
    """Approve (optionally to another date) or refuse; the new deadline ends overdue by itself."""
    extension = ExtensionRequest.objects.select_for_update().get(pk=extension.pk)
    if extension.status != ExtensionStatus.PENDING:
        raise ValidationError("该延期申请已经审批过。")
    task = Task.objects.select_for_update().get(pk=extension.task_id)
    if approve:
        new_deadline = new_deadline or extension.requested_deadline
        if new_deadline <= extension.old_deadline:
            raise ValidationError({"new_deadline": "批准的日期须晚于原截止日期。"})
        extension.new_deadline = new_deadline
        task.deadline = new_deadline
        task.save(update_fields=["deadline", "updated_at"])  # overdue follows the deadline
    extension.status = ExtensionStatus.APPROVED if approve else ExtensionStatus.REFUSED
    extension.decided_by = actor
    extension.decided_at = timezone.now()
    extension.decision_comment = comment.strip()
    extension.save()
    audit_record(
        action="task.extension.approve" if approve else "task.extension.refuse",
        actor=actor,
        obj=extension,
        scheme_id=task.scheme_id,
        before={"deadline": extension.old_deadline},
        after={"deadline": task.deadline, "comment": comment},
    )
    words = f"已批准，新的截止日期为 {new_deadline}" if approve else "未获批准"
    notify_unit(task=task, title=f"任务「{task.indicator.name}」的延期申请{words}", body=comment)
    return extension


@transaction.atomic
def materials_upload(*, task: Task, uploads: list, actor) -> list[FileVersion]:
    """Several files at once, all or nothing: every file is checked before any is stored."""
    if not uploads:
        raise ValidationError("请选择要上传的文件。")
    for upload in uploads:
        file_checks.check_upload(upload)
    return [material_upload(task=task, upload=u, actor=actor) for u in uploads]


@transaction.atomic
def notifications_mark_read(*, user) -> int:
    from .models import Notification

    return Notification.objects.filter(user=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
