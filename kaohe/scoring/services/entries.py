"""The one score service: every score written anywhere (pages, imports, on-site checklists,
case reviews, filing checks, deductions, objections, tests, surveys, the API) goes through
`scores_save` / `score_set`, which check the value, the version and the scheme's lock, and audit.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from kaohe.audit.services import audit_record
from kaohe.schemes.choices import SCORE_EDITABLE_STATUSES, SchemeStatus, ScoreSource
from kaohe.schemes.models import Indicator, Scheme, ScoreEntry, Subject

from .. import engine
from ..audit_actions import SCORE_BATCH, SCORE_CLEAR, SCORE_SET


class ScoreConflict(ValidationError):
    """Someone else saved the same score since this user loaded it."""


class ScoreError(ValidationError):
    """One refusal of one leaf: which indicator, which field of the change ("value" or
    "version") and a stable code, so callers (the bulk API) give it to the right row without
    reading the message. Raised inside a ValidationError / ScoreConflict list; see
    `score_errors`."""

    def __init__(self, message: str, *, indicator: Indicator, field: str, code: str):
        super().__init__(message, code=code)
        self.indicator_id, self.field = indicator.pk, field


@dataclass(frozen=True)
class ScoreProblem:
    """A refusal as plain data: indicator_id None when it concerns the whole save."""

    indicator_id: int | None
    field: str
    code: str
    message: str


def score_errors(exc: ValidationError) -> list[ScoreProblem]:
    """The refusals of a scores_save call, each with its indicator (when it has one)."""
    problems = []
    for error in exc.error_list if hasattr(exc, "error_list") else [exc]:
        problems.append(
            ScoreProblem(
                getattr(error, "indicator_id", None),
                getattr(error, "field", ""),
                error.code or ("version_conflict" if isinstance(exc, ScoreConflict) else "invalid"),
                next(iter(ValidationError([error]).messages), ""),
            )
        )
    return problems


def _create_entry(**fields) -> ScoreEntry:
    """Insert a first value; a concurrent first save of the same leaf is a conflict, not a 500."""
    try:
        with transaction.atomic():
            return ScoreEntry.objects.create(**fields)
    except IntegrityError as error:
        raise ScoreConflict(
            [
                ScoreError(
                    _("该得分刚被他人录入，请刷新后重试。"),
                    indicator=fields["indicator"],
                    field="version",
                    code="version_conflict",
                )
            ]
        ) from error


@dataclass(frozen=True)
class ScoreChange:
    indicator: Indicator
    value: Decimal | None  # None clears the entry
    note: str = ""
    expected_version: int | None = None


def scores_locked_reason(scheme: Scheme) -> str:
    """Why scores of this scheme cannot be typed in now ("" while they can)."""
    if scheme.status in SCORE_EDITABLE_STATUSES:
        return ""
    if scheme.status == SchemeStatus.FINAL:
        return _("考核结果已定稿，成绩已锁定。如需修改，须由考核办管理员说明理由后重新开启。")
    return _("考核结果已冻结（公示/复核阶段），成绩不能在此修改；如有差错，请通过异议复核更正。")


def check_scores_editable(scheme: Scheme, override_reason: str = "") -> None:
    """Scores change freely while the scheme runs; later only with a recorded reason."""
    if scheme.status in SCORE_EDITABLE_STATUSES:
        return
    if scheme.status == SchemeStatus.FINAL:
        raise ValidationError(
            _("考核结果已定稿，成绩已锁定。如需修改，须由考核办管理员说明理由后重新开启。")
        )
    if not override_reason:
        raise ValidationError(_("考核结果已冻结（公示/复核阶段），修改成绩须经复核并说明理由。"))


def _check_changes(scheme: Scheme, subject: Subject, changes, existing: dict) -> None:
    """Refuse the whole save on a stale version (conflict) or any value the leaf cannot hold."""
    indicator_ids = [c.indicator.pk for c in changes]
    groups = set(
        Indicator.objects.filter(parent_id__in=indicator_ids).values_list("parent_id", flat=True)
    )
    errors = []
    for change in changes:
        ind = change.indicator
        label = f"{ind.code} {ind.name}"
        if ind.scheme_id != scheme.pk or ind.pk in groups:
            message = _("%(leaf)s：不是本方案的末级指标。") % {"leaf": label}
            errors.append(ScoreError(message, indicator=ind, field="indicator", code="not_leaf"))
            continue
        current = existing[ind.pk].version if ind.pk in existing else 0
        if change.expected_version is not None and current != change.expected_version:
            message = _("%(leaf)s：该得分已被他人修改（当前版本 %(v)s），请刷新后重试。") % {
                "leaf": label,
                "v": current,
            }
            raise ScoreConflict(
                [ScoreError(message, indicator=ind, field="version", code="version_conflict")]
            )
        if change.value is not None:
            try:
                engine.check_value(engine.leaf_from_indicator(ind), change.value)
            except engine.ScoreValueError as exc:
                message = _("%(leaf)s：%(error)s") % {"leaf": label, "error": exc.translated(_)}
                errors.append(ScoreError(message, indicator=ind, field="value", code="invalid"))
    if errors:
        raise ValidationError(errors)


@dataclass
class _Writer:
    """Applies checked changes of one subject and records them (one event each, or one batch)."""

    subject: Subject
    scheme: Scheme
    actor: object
    source: str
    override_reason: str
    batch: bool
    saved: list = field(default_factory=list)
    batch_log: list = field(default_factory=list)
    new_entries: list = field(default_factory=list)

    def apply(self, change: ScoreChange, entry: ScoreEntry | None) -> None:
        before = {"value": entry.value, "note": entry.note} if entry else None
        if change.value is None:
            if entry is None:
                return
            entry.delete()
            self._record(change.indicator, entry, before, None)
            return
        if entry is not None and entry.value == change.value and entry.note == change.note:
            self.saved.append(entry)
            return
        entry = self._insert(change) if entry is None else self._update(entry, change)
        after = {"value": change.value, "note": change.note, "source": self.source}
        self._record(change.indicator, entry, before, after)
        self.saved.append(entry)

    def _insert(self, change: ScoreChange) -> ScoreEntry:
        fields = {
            "subject": self.subject,
            "indicator": change.indicator,
            "value": change.value,
            "note": change.note,
            "entered_by": self.actor,
            "source": self.source,
        }
        if self.batch:  # inserted together in finish()
            entry = ScoreEntry(**fields)
            self.new_entries.append(entry)
            return entry
        return _create_entry(**fields)

    def _update(self, entry: ScoreEntry, change: ScoreChange) -> ScoreEntry:
        ScoreEntry.objects.filter(pk=entry.pk).update(
            value=change.value,
            note=change.note,
            entered_by=self.actor,
            source=self.source,
            version=F("version") + 1,
        )
        entry.version += 1
        entry.value, entry.note, entry.source = change.value, change.note, self.source
        entry.entered_by = self.actor
        return entry

    def _record(self, indicator, entry, before, after) -> None:
        if self.batch:
            self.batch_log.append({"indicator": indicator.code, "before": before, "after": after})
            return
        audit_record(
            action=SCORE_SET if after else SCORE_CLEAR,
            actor=self.actor,
            obj=entry,
            scheme_id=self.scheme.pk,
            before=before,
            after=after,
            message=self.override_reason,
        )

    def finish(self) -> None:
        if self.new_entries:
            try:
                with transaction.atomic():
                    ScoreEntry.objects.bulk_create(self.new_entries)
            except IntegrityError as error:
                raise ScoreConflict(_("部分得分刚被他人录入，请刷新后重试。")) from error
        if self.batch_log:
            audit_record(
                action=SCORE_BATCH,
                actor=self.actor,
                obj=self.subject,
                scheme_id=self.scheme.pk,
                after={"source": self.source, "changes": self.batch_log},
                message=self.override_reason,
            )
        Scheme.mark_results_stale(self.scheme.pk)


@transaction.atomic
def scores_save(
    *,
    subject: Subject,
    changes: list[ScoreChange],
    actor=None,
    source: str = ScoreSource.MANUAL,
    override_reason: str = "",
    batch: bool = False,
) -> list[ScoreEntry]:
    """Save several leaf values of one subject at once; all or nothing.

    Each value is checked against its leaf's method and range; an expected_version that no
    longer matches means someone else saved in between, and nothing is written.

    batch=True (imports) writes one audit event for the subject listing every change, and
    inserts new entries in one statement; the checks are the same.
    """
    # Lock the scheme row so a save cannot slip past a concurrent freeze (publishing locks it too).
    scheme = Scheme.objects.select_for_update().get(pk=subject.scheme_id)
    check_scores_editable(scheme, override_reason)
    existing = {
        e.indicator_id: e
        for e in ScoreEntry.objects.select_for_update().filter(
            subject=subject, indicator_id__in=[c.indicator.pk for c in changes]
        )
    }
    _check_changes(scheme, subject, changes, existing)
    writer = _Writer(subject, scheme, actor, source, override_reason, batch)
    for change in changes:
        writer.apply(change, existing.get(change.indicator.pk))
    writer.finish()
    return writer.saved


def score_set(
    *,
    subject: Subject,
    indicator: Indicator,
    value: Decimal | None,
    note: str = "",
    actor=None,
    expected_version: int | None = None,
    source: str = ScoreSource.MANUAL,
    override_reason: str = "",
) -> ScoreEntry | None:
    """Save one leaf value (see scores_save)."""
    saved = scores_save(
        subject=subject,
        actor=actor,
        source=source,
        override_reason=override_reason,
        changes=[ScoreChange(indicator, value, note, expected_version)],
    )
    return saved[0] if saved else None
