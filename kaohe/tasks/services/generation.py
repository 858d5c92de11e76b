"""Generating tasks from the indicator tree; editing a task."""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from kaohe.audit.services import audit_record
from kaohe.tasks import audit_actions

from ..choices import (
    SpecialForm,
    TaskStatus,
)
from ..models import (
    COMMENT_ASSIGNED,
    Task,
    TaskTransition,
)
from ..rules import parse_rule

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

    from ..responsibility import responsible_pairs

    indicators = {i.pk: i for i in Indicator.objects.filter(scheme=scheme)}
    pairs = responsible_pairs(scheme)
    existing = set(Task.objects.filter(scheme=scheme).values_list("indicator_id", "unit_id"))
    assigned_by = actor.pk if getattr(actor, "is_authenticated", False) else None
    new, without_deadline, kept = _plan_tasks(
        scheme, indicators, pairs, existing, default_deadline, assigned_by
    )
    Task.objects.bulk_create(new, batch_size=1000)
    _record_issued(new, assigned_by)
    audit_record(
        action=audit_actions.TASK_GENERATE,
        actor=actor,
        obj=scheme,
        scheme_id=scheme.pk,
        after={"created": len(new), "existing": kept, "without_deadline": without_deadline},
    )
    return GenerateResult(len(new), kept, without_deadline, [t.pk for t in new])


def _plan_tasks(scheme, indicators, pairs, existing, default_deadline, assigned_by) -> tuple:
    """Build the unsaved tasks still missing, so the caller can bulk-create them at once."""
    rules = {pk: parse_rule(i.materials) for pk, i in indicators.items()}
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
    return new, without_deadline, kept


def _record_issued(new, assigned_by) -> None:
    """Give every new task its first 任务下达 transition in one bulk insert."""
    now = timezone.now()
    TaskTransition.objects.bulk_create(
        [
            TaskTransition(
                task_id=pk,
                to_status=TaskStatus.NOT_STARTED,
                actor_id=assigned_by,
                at=now,
                on=timezone.localdate(now),
                comment=COMMENT_ASSIGNED,
            )
            for pk in (t.pk for t in new)
        ],
        batch_size=2000,
    )


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
        raise ValidationError({"nominee_count": gettext("推荐名单须填写推荐人数/家数。")})
    task, changes = model_update(instance=task, fields=TASK_FIELDS, data=data)
    if changes:
        audit_record(
            action=audit_actions.TASK_UPDATE,
            actor=actor,
            obj=task,
            scheme_id=task.scheme_id,
            before={k: v[0] for k, v in changes.items()},
            after={k: v[1] for k, v in changes.items()},
        )
    return task
