"""Checklists per indicator and their fills; a fill becomes the leaf score via scores_save."""

from __future__ import annotations

import re
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kaohe.audit.services import audit_record
from kaohe.onsite import audit_actions
from kaohe.schemes.choices import ComponentCode, ScoreSource
from kaohe.schemes.models import Indicator
from kaohe.scoring.services import ScoreChange, scores_save

from .. import marks
from ..choices import CheckResult
from ..models import Checklist, ChecklistAnswer, ChecklistFill, ChecklistItem
from .evidence import evidence_attach

NUMBERING = re.compile(r"(?:^|(?<=[；;。\s]))\s*(?:\d+|[一二三四五六七八九十]+)\s*[\.．、)）]\s*")
CATALOGUE_RULE = "清单中如列有行政处罚事项，应为该部门所有行政处罚事项，不应表述为重大行政处罚事项"
PER_TARGET_HINTS = ("选取5个部门", "每个部门")


def split_requirement(text: str) -> list[str]:
    """'1.甲；2.乙。丙' → ['甲', '乙', '丙']; the catalogue rule of seed 000 gets its fixed wording."""
    text = (text or "").replace("\r", "\n")
    text = NUMBERING.sub("\n", text)
    items = []
    for part in re.split(r"[；;。\n]", text):
        part = part.strip(" ，,、\t")
        if not part:
            continue
        if "清单中如" in part and "行政处罚事项" in part:
            part = CATALOGUE_RULE
        items.append(part)
    return items


def _check_indicator(indicator: Indicator) -> None:
    if indicator.children.exists():
        raise ValidationError(
            _("%(code)s 不是末级指标，不能设置检查清单。") % {"code": indicator.code}
        )
    if indicator.method not in marks.FRACTION_METHODS:
        raise ValidationError(
            _("%(code)s 的评分方式为“%(method)s”，不能由检查清单折算。")
            % {"code": indicator.code, "method": indicator.get_method_display()}
        )


@transaction.atomic
def checklist_save(
    *, indicator: Indicator, items: list[tuple[str, Decimal | None]], per_target: bool, actor=None
) -> Checklist:
    """Replace a checklist's items (refused once fills exist, so old answers keep meaning)."""
    _check_indicator(indicator)
    items = [(t.strip(), p) for t, p in items if t.strip()]
    if not items:
        raise ValidationError(_("检查清单至少需要一项。"))
    for text, points in items:
        if points is not None and points < 0:
            raise ValidationError(_("检查项“%(value)s”的分值不能为负数。") % {"value": text[:20]})
    checklist, created = Checklist.objects.get_or_create(
        indicator=indicator, defaults={"per_target": per_target}
    )
    before = None
    if not created:
        if checklist.fills.exists():
            raise ValidationError(_("该清单已有检查记录，不能再修改检查项。"))
        before = list(checklist.items.values_list("text", flat=True))
        checklist.items.all().delete()
        checklist.per_target = per_target
        checklist.save(update_fields=["per_target", "updated_at"])
    ChecklistItem.objects.bulk_create(
        [
            ChecklistItem(checklist=checklist, order=i, text=t, points=p)
            for i, (t, p) in enumerate(items, start=1)
        ]
    )
    audit_record(
        action=audit_actions.ONSITE_CHECKLIST_SAVE,
        actor=actor,
        obj=checklist,
        scheme_id=indicator.scheme_id,
        before=before,
        after={"items": [t for t, _ in items], "per_target": per_target},
    )
    return checklist


@transaction.atomic
def checklists_from_requirements(*, scheme, actor=None) -> list[Checklist]:
    """One checklist per on-site leaf with requirement text and no checklist yet.

    Skipped: leaves with a case-review sheet and filing leaves (name contains 备案), which
    are scored by their own checks.
    """
    made = []
    leaves = scheme.indicators.filter(
        children__isnull=True,
        component__code=ComponentCode.ON_SITE,
        method__in=marks.FRACTION_METHODS,
    ).exclude(requirement="")
    # Leaves scored by a case review or a filing check get no competing checklist.
    leaves = leaves.filter(case_sheet__isnull=True).exclude(name__contains="备案")
    for indicator in leaves:
        if Checklist.objects.filter(indicator=indicator).exists():
            continue
        items = split_requirement(indicator.requirement)
        if not items:
            continue
        per_target = any(h in indicator.content for h in PER_TARGET_HINTS)
        made.append(
            checklist_save(
                indicator=indicator,
                items=[(t, None) for t in items],
                per_target=per_target,
                actor=actor,
            )
        )
    return made


class ScoreReplaceNeeded(ValidationError):
    """The leaf already holds a score entered another way; the user must confirm replacing it."""

    def __init__(self, *, current, new, source: str, by: str = ""):
        self.current, self.new, self.source, self.by = current, new, source, by
        super().__init__(
            _(
                "该指标现有得分 %(old)s（%(source)s），按本次检查结果将改为 %(new)s。确认替换后才会保存。"
            )
            % {
                "old": f"{current:.2f}",
                "source": _("%(source)s，%(by)s") % {"source": source, "by": by} if by else source,
                "new": f"{new:.2f}",
            }
        )


def _answer(answers, item) -> tuple[str, str, Decimal | None]:
    value = answers.get(item.pk, ("", ""))
    return value[0], value[1], value[2] if len(value) > 2 else None


def _check_answers(items, answers) -> None:
    errors = []
    for index, item in enumerate(items, start=1):
        result, _note, credit = _answer(answers, item)
        if result not in CheckResult.values:
            errors.append(
                _("第 %(index)s 项“%(value)s”未选择检查结果。")
                % {"index": index, "value": item.text[:20]}
            )
        elif result == CheckResult.PARTIAL and (credit is None or not 0 < credit < 1):
            limit = (
                _("0–%(p)s 分之间") % {"p": item.points}
                if item.points is not None
                else _("0–100% 之间")
            )
            errors.append(
                _("第 %(i)d 项“%(text)s”部分符合，请填写得分（%(limit)s）。")
                % {"i": index, "text": item.text[:20], "limit": limit}
            )
    if errors:
        raise ValidationError(errors)


def _guard_replacement(subject, indicator, value, confirm_replace: bool) -> None:
    """Ask before a checklist replaces a score that was entered another way."""
    from kaohe.schemes.models import ScoreEntry

    entry = (
        ScoreEntry.objects.filter(subject=subject, indicator=indicator)
        .select_related("entered_by")
        .first()
    )
    if entry is None or entry.source == "checklist" or entry.value == value or confirm_replace:
        return
    by = getattr(entry.entered_by, "display_name", "") or str(entry.entered_by or "")
    raise ScoreReplaceNeeded(current=entry.value, new=value, source=entry.source_label, by=by)


def _leaf_note(items, answers, fills: int, overall) -> str:
    failed = [i.text[:30] for i in items if answers[i.pk][0] == CheckResult.FAIL]
    partial = [i.text[:30] for i in items if answers[i.pk][0] == CheckResult.PARTIAL]
    note = f"检查清单（{fills} 份，达标 {overall:.0%}）"
    if failed:
        note += "；不符合：" + "；".join(failed)
    if partial:
        note += "；部分符合：" + "；".join(partial)
    return note


@transaction.atomic
def checklist_fill_save(
    *,
    checklist: Checklist,
    subject,
    answers: dict[int, tuple],
    target: str = "",
    files=(),
    actor=None,
    confirm_replace: bool = False,
):
    """Record pass / partial (with its credit) / fail / n.a. for every item (and photos), then
    write the leaf score. A score entered another way is replaced only with confirm_replace.

    All or nothing: a bad photo, a locked scheme or an unconfirmed replacement leaves no trace.
    """
    indicator = checklist.indicator
    if subject.scheme_id != indicator.scheme_id:
        raise ValidationError(_("考核对象与清单不属于同一方案。"))
    target = target.strip()[:128]
    if checklist.per_target and not target:
        raise ValidationError(_("该清单按抽查对象分别检查，请填写检查对象（如部门名称）。"))
    items = list(checklist.items.all())
    _check_answers(items, answers)
    answers = {i.pk: _answer(answers, i) for i in items}
    fill = _fill_store(checklist, subject, target, items, answers, actor)
    value = _fill_score(checklist, subject, items, answers, actor, confirm_replace)
    if files:  # stored last, after everything that could still refuse
        evidence_attach(subject=subject, files=files, actor=actor, fill=fill)
    audit_record(
        action=audit_actions.ONSITE_CHECKLIST_FILL,
        actor=actor,
        obj=fill,
        scheme_id=subject.scheme_id,
        after={
            "target": fill.target,
            "answers": {str(i.pk): answers[i.pk][0] for i in items},
            "credits": {str(i.pk): answers[i.pk][2] for i in items if answers[i.pk][2] is not None},
            "leaf_value": value,
        },
    )
    return fill


def _fill_store(checklist, subject, target, items, answers, actor) -> ChecklistFill:
    """Write (or overwrite) one fill with its fraction and replace all of its answers."""
    fraction = marks.checklist_fraction(
        [(answers[i.pk][0], i.points, answers[i.pk][2]) for i in items]
    )
    fill, _created = ChecklistFill.objects.update_or_create(
        checklist=checklist,
        subject=subject,
        target=target if checklist.per_target else "",
        defaults={
            "filled_by": actor if getattr(actor, "is_authenticated", False) else None,
            "fraction": fraction.quantize(Decimal("0.000001")),
        },
    )
    fill.answers.all().delete()
    ChecklistAnswer.objects.bulk_create(
        [
            ChecklistAnswer(
                fill=fill,
                item=i,
                result=answers[i.pk][0],
                note=answers[i.pk][1][:255],
                credit=answers[i.pk][2] if answers[i.pk][0] == CheckResult.PARTIAL else None,
            )
            for i in items
        ]
    )
    return fill


def _fill_score(checklist, subject, items, answers, actor, confirm_replace):
    """Turn the mean of the subject's fills into the leaf score, saved through scores_save."""
    indicator = checklist.indicator
    fills = ChecklistFill.objects.filter(checklist=checklist, subject=subject)
    overall = marks.mean(f.fraction for f in fills)
    value = marks.leaf_value(indicator.method, indicator.max_score or marks.ZERO, overall)
    note = _leaf_note(items, answers, fills.count(), overall)
    _guard_replacement(subject, indicator, value, confirm_replace)
    scores_save(
        subject=subject,
        changes=[ScoreChange(indicator, value, note[:1000])],
        actor=actor,
        source=ScoreSource.CHECKLIST,
    )
    return value
