"""Recording, executing and verifying draws (the algorithm is in draw_engine)."""

from __future__ import annotations

import hashlib
import json
import secrets
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kaohe.audit.services import audit_record
from kaohe.common.models import no_control_characters
from kaohe.onsite import audit_actions

from .. import draw_engine as engine
from ..choices import DrawStatus, PopulationSource, SeedSource
from ..models import Draw


def _refuse(exc: engine.DrawError) -> ValidationError:
    return ValidationError(str(exc))


@transaction.atomic
def draw_prepare(
    *,
    subject,
    title: str,
    members: list[dict],
    rule: dict,
    source: str = PopulationSource.TYPED,
    preset: str = "",
    actor=None,
) -> Draw:
    """Fix population and rule; refused (with the reason) when the rule cannot be met."""
    title = title.strip()
    no_control_characters(title)
    if not title:
        raise ValidationError(_("请填写抽取事项。"))
    try:
        population = engine.normalise_population(members)
        rule = engine.normalise_rule(rule)
        engine.run_draw(population, rule, "feasibility-check")
    except engine.DrawError as exc:
        raise _refuse(exc) from None
    population_json = engine.canonical_json(population)
    draw = Draw.objects.create(
        scheme=subject.scheme,
        subject=subject,
        title=title[:128],
        preset=preset,
        source=source,
        population_json=population_json,
        rule_json=engine.canonical_json(rule),
        population_sha256=hashlib.sha256(population_json.encode("utf-8")).hexdigest(),
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit_record(
        action=audit_actions.ONSITE_DRAW_PREPARE,
        actor=actor,
        obj=draw,
        scheme_id=subject.scheme_id,
        after={
            "subject": subject.unit.name,
            "title": draw.title,
            "population_size": len(population),
            "population_sha256": draw.population_sha256,
            "rule": rule,
        },
    )
    return draw


def generate_seed() -> str:
    """Eight digits from the OS's secure generator, easy to read aloud."""
    return f"{secrets.randbelow(10**8):08d}"


@transaction.atomic
def draw_announce_seed(*, draw: Draw, seed: str | None = None, actor=None) -> Draw:
    """Fix the seed before the draw; typed on site or generated. It cannot change later."""
    draw = Draw.objects.select_for_update().get(pk=draw.pk)
    if draw.status != DrawStatus.PREPARED:
        raise ValidationError(_("随机种子已公布，不能更改；如需重抽请作废后重新创建。"))
    source = SeedSource.TYPED if seed not in (None, "") else SeedSource.GENERATED
    try:
        seed = engine.normalise_seed(seed if source == SeedSource.TYPED else generate_seed())
    except engine.DrawError as exc:
        raise _refuse(exc) from None
    draw.seed, draw.seed_source = seed, source
    draw.seed_announced_at = timezone.now()
    draw.status = DrawStatus.SEEDED
    draw.save()
    audit_record(
        action=audit_actions.ONSITE_DRAW_SEED,
        actor=actor,
        obj=draw,
        scheme_id=draw.scheme_id,
        after={"seed": seed, "source": source},
    )
    return draw


@transaction.atomic
def draw_execute(*, draw: Draw, actor=None) -> Draw:
    draw = Draw.objects.select_for_update().get(pk=draw.pk)
    if draw.status != DrawStatus.SEEDED:
        raise ValidationError(_("只能对已公布随机种子、尚未抽取的记录执行抽取。"))
    try:
        outcome = engine.run_draw(
            json.loads(draw.population_json), json.loads(draw.rule_json), draw.seed
        )
    except engine.DrawError as exc:
        raise _refuse(exc) from None
    draw.result_json = engine.canonical_json(list(outcome.selected))
    draw.digest = outcome.digest
    draw.drawn_by = actor if getattr(actor, "is_authenticated", False) else None
    draw.drawn_at = timezone.now()
    draw.status = DrawStatus.DONE
    draw.save()
    audit_record(
        action=audit_actions.ONSITE_DRAW_EXECUTE,
        actor=actor,
        obj=draw,
        scheme_id=draw.scheme_id,
        after={"digest": outcome.digest, "result": list(outcome.selected)},
    )
    return draw


@transaction.atomic
def draw_cancel(*, draw: Draw, reason: str, actor=None) -> Draw:
    """Void a draw with a reason; it stays on record (and in the audit chain)."""
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("作废须填写原因。"))
    if draw.status == DrawStatus.CANCELLED:
        raise ValidationError(_("该抽取记录已作废。"))
    before = draw.status
    draw.status, draw.cancel_reason = DrawStatus.CANCELLED, reason[:255]
    draw.save(update_fields=["status", "cancel_reason", "updated_at"])
    audit_record(
        action=audit_actions.ONSITE_DRAW_CANCEL,
        actor=actor,
        obj=draw,
        scheme_id=draw.scheme_id,
        before={"status": before},
        message=reason,
    )
    return draw


@dataclass
class Verification:
    ok: bool
    checks: list[tuple[str, bool]] = field(default_factory=list)
    recomputed: tuple[str, ...] = ()
    digest: str = ""


def draw_verify(draw: Draw) -> Verification:
    """Recompute the draw from its recorded population, rule and seed, and compare."""
    report = Verification(ok=False)
    if draw.status != DrawStatus.DONE:
        report.checks.append((_("该记录尚未抽取（或已作废），无结果可核验"), False))
        return report
    population = json.loads(draw.population_json)
    rule = json.loads(draw.rule_json)
    sha = hashlib.sha256(draw.population_json.encode("utf-8")).hexdigest()
    report.checks.append((_("名单摘要与创建时记录一致"), sha == draw.population_sha256))
    try:
        outcome = engine.run_draw(population, rule, draw.seed)
    except engine.DrawError as exc:
        report.checks.append((_("重新计算失败：%(exc)s") % {"exc": exc}, False))
        return report
    recorded = tuple(json.loads(draw.result_json))
    report.recomputed, report.digest = outcome.selected, outcome.digest
    report.checks.append((_("抽取摘要（SHA-256）一致"), outcome.digest == draw.digest))
    report.checks.append((_("重新计算的抽取结果与记录一致"), outcome.selected == recorded))
    problems = engine.check_outcome(population, rule, list(recorded))
    report.checks.append(
        (
            _("记录的结果满足抽取规则：%(problems)s") % {"problems": _("；").join(problems)}
            if problems
            else _("记录的结果满足抽取规则"),
            not problems,
        )
    )
    report.checks.extend(_audit_checks(draw, rule, recorded))
    report.ok = all(ok for _, ok in report.checks)
    return report


def _audit_checks(draw: Draw, rule: dict, recorded: tuple[str, ...]) -> list[tuple[str, bool]]:
    """Compare the row with what the hash-chained audit log recorded at each step.

    Someone able to rewrite the draw row consistently (population, seed, result) would still
    disagree with the audit events, whose hashes chain to every later event.
    """
    from kaohe.audit.models import AuditEvent
    from kaohe.audit.services import event_hash

    events = {
        e.action: e
        for e in AuditEvent.objects.filter(object_type="onsite.draw", object_id=str(draw.pk))
        .filter(action__in=["onsite.draw.prepare", "onsite.draw.seed", "onsite.draw.execute"])
        .order_by("id")
    }
    if not events:
        return [(_("审计记录已不存在（可能已按保留期限归档），未比对审计记录"), True)]
    intact = all(event_hash(e) == e.hash for e in events.values())
    after = {action: json.loads(e.after or "{}") for action, e in events.items()}
    prepare = after.get("onsite.draw.prepare", {})
    seeded = after.get("onsite.draw.seed", {})
    executed = after.get("onsite.draw.execute", {})
    return [
        (_("审计记录自身哈希完整"), intact),
        (
            _("名单摘要和规则与创建时的审计记录一致"),
            prepare.get("population_sha256") == draw.population_sha256
            and prepare.get("rule") == rule,
        ),
        (_("随机种子与公布时的审计记录一致"), seeded.get("seed") == draw.seed),
        (
            _("摘要和结果与抽取时的审计记录一致"),
            executed.get("digest") == draw.digest
            and tuple(executed.get("result") or ()) == recorded,
        ),
    ]


def draw_members(draw: Draw) -> list[dict]:
    return json.loads(draw.population_json)


def draw_rule(draw: Draw) -> dict:
    return json.loads(draw.rule_json)


def draw_selected(draw: Draw) -> list[dict]:
    """The selected members in draw order."""
    if not draw.result_json:
        return []
    by_key = {m["key"]: m for m in draw_members(draw)}
    return [by_key[k] for k in json.loads(draw.result_json) if k in by_key]
