"""Case-file review (案卷评查) and major-penalty filing checks (重大行政处罚备案)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kaohe.audit.services import audit_record
from kaohe.common.models import no_control_characters
from kaohe.onsite import audit_actions
from kaohe.schemes.choices import ScoreSource
from kaohe.schemes.models import Indicator
from kaohe.scoring.services import ScoreChange, scores_save

from .. import marks
from ..models import CaseCriterion, CaseReview, CaseSheet, FilingCheck

# A starting criteria sheet for 行政复议案卷 (seed 000: 认定事实清楚、适用法律正确、程序合法), offered
# in the page's language: the office edits it before saving.
DEFAULT_CRITERIA = [
    (gettext_lazy("认定事实清楚，证据确凿"), True, Decimal("0")),
    (gettext_lazy("适用法律、法规正确"), True, Decimal("0")),
    (gettext_lazy("程序合法（受理、审理、决定期限符合规定）"), True, Decimal("0")),
    (gettext_lazy("复议决定书格式规范、说理充分"), False, Decimal("10")),
    (gettext_lazy("送达程序规范，送达回证齐全"), False, Decimal("10")),
    (gettext_lazy("案卷材料齐全，装订、编目规范"), False, Decimal("5")),
]

MAX_POINTS = Decimal("999999.99")  # what the points columns hold


def _check_leaf(indicator: Indicator) -> None:
    if indicator.children.exists():
        raise ValidationError(_("%(code)s 不是末级指标。") % {"code": indicator.code})
    if indicator.method not in marks.FRACTION_METHODS:
        raise ValidationError(
            _("%(code)s 的评分方式为“%(method)s”，不能由评查结果折算。")
            % {"code": indicator.code, "method": indicator.get_method_display()}
        )


@transaction.atomic
def case_sheet_save(
    *,
    indicator: Indicator,
    criteria: list[tuple[str, bool, Decimal]],
    full_score: Decimal = Decimal("100"),
    actor=None,
) -> CaseSheet:
    """Create or replace the criteria sheet (refused once files were reviewed with it)."""
    _check_leaf(indicator)
    criteria = [(t.strip(), b, p) for t, b, p in criteria if t.strip()]
    if not criteria:
        raise ValidationError(_("评查标准至少需要一个项目。"))
    if full_score <= 0:
        raise ValidationError(_("案卷满分必须大于 0。"))
    if full_score > MAX_POINTS or full_score != full_score.quantize(Decimal("0.01")):
        raise ValidationError(
            _("案卷满分 %(full_score)s 超出范围（最多两位小数，不超过 %(MAX_POINTS)s）。")
            % {"full_score": full_score, "MAX_POINTS": MAX_POINTS}
        )
    for text, _basic, points in criteria:
        if points < 0:
            raise ValidationError(_("评查项目“%(value)s”的扣分不能为负数。") % {"value": text[:20]})
        if points > MAX_POINTS or points != points.quantize(Decimal("0.01")):
            raise ValidationError(
                _("评查项目“%(value)s”的扣分 %(points)s 超出范围。")
                % {"value": text[:20], "points": points}
            )
    sheet, created = CaseSheet.objects.get_or_create(
        indicator=indicator, defaults={"full_score": full_score}
    )
    if not created:
        if sheet.reviews.exists():
            raise ValidationError(_("该评查标准已用于评查案卷，不能再修改。"))
        sheet.criteria.all().delete()
        sheet.full_score = full_score
        sheet.save(update_fields=["full_score", "updated_at"])
    CaseCriterion.objects.bulk_create(
        [
            CaseCriterion(sheet=sheet, order=i, text=t[:255], is_basic=b, points=p)
            for i, (t, b, p) in enumerate(criteria, start=1)
        ]
    )
    audit_record(
        action=audit_actions.ONSITE_CASE_SHEET_SAVE,
        actor=actor,
        obj=sheet,
        scheme_id=indicator.scheme_id,
        after={"full_score": full_score, "criteria": [[t, b, p] for t, b, p in criteria]},
    )
    return sheet


def _write_case_leaf(sheet: CaseSheet, subject, actor) -> Decimal:
    reviews = list(CaseReview.objects.filter(sheet=sheet, subject=subject))
    average = marks.mean(r.score for r in reviews)
    indicator = sheet.indicator
    value = marks.leaf_value(
        indicator.method, indicator.max_score or marks.ZERO, average / sheet.full_score
    )
    unqualified = sum(1 for r in reviews if not r.qualified)
    note = f"案卷评查 {len(reviews)} 卷，平均 {average.quantize(marks.CENT)} 分，不合格 {unqualified} 卷"
    scores_save(
        subject=subject,
        changes=[ScoreChange(indicator, value, note)],
        actor=actor,
        source=ScoreSource.CASE_REVIEW,
    )
    return value


@transaction.atomic
def case_review_save(
    *, sheet: CaseSheet, subject, file_label: str, failed_ids, note: str = "", actor=None
) -> CaseReview:
    """Score one case file, then set the leaf from the average of the subject's files."""
    if subject.scheme_id != sheet.indicator.scheme_id:
        raise ValidationError(_("考核对象与评查标准不属于同一方案。"))
    file_label = file_label.strip()[:200]
    if not file_label:
        raise ValidationError(_("请填写案卷名称或编号。"))
    criteria = list(sheet.criteria.all())
    known = {c.pk for c in criteria}
    failed = {int(i) for i in failed_ids}
    if failed - known:
        raise ValidationError(_("不符合项目中有不属于该评查标准的项目。"))
    score, qualified = marks.case_file_score(
        sheet.full_score,
        [marks.CaseCriterionRow(c.pk, c.is_basic, c.points) for c in criteria],
        failed,
    )
    review, _created = CaseReview.objects.update_or_create(
        sheet=sheet,
        subject=subject,
        file_label=file_label,
        defaults={
            "score": score,
            "qualified": qualified,
            "note": note.strip()[:255],
            "reviewed_by": actor if getattr(actor, "is_authenticated", False) else None,
        },
    )
    review.failed.set([c for c in criteria if c.pk in failed])
    value = _write_case_leaf(sheet, subject, actor)
    audit_record(
        action=audit_actions.ONSITE_CASE_REVIEW_SAVE,
        actor=actor,
        obj=review,
        scheme_id=subject.scheme_id,
        after={"file": file_label, "failed": sorted(failed), "score": score, "leaf_value": value},
    )
    return review


def filing_facts(check: FilingCheck) -> marks.FilingFacts:
    return marks.FilingFacts(
        check.has_report,
        check.has_review_form,
        check.has_decision,
        check.form_proper,
        check.decision_date,
        check.filing_date,
        check.received_date,
        check.reviewed_date,
    )


FILING_FIELDS = [
    "has_report",
    "has_review_form",
    "has_decision",
    "form_proper",
    "decision_date",
    "filing_date",
    "received_date",
    "reviewed_date",
    "note",
]


@transaction.atomic
def filing_check_save(
    *, indicator: Indicator, subject, record_label: str, data: dict, actor=None
) -> FilingCheck:
    """Record one drawn filing; the leaf = share of records without breach, by the method."""
    _check_leaf(indicator)
    if subject.scheme_id != indicator.scheme_id:
        raise ValidationError(_("考核对象与指标不属于同一方案。"))
    record_label = record_label.strip()[:200]
    no_control_characters(record_label)  # the label is looked up before the row is saved
    if not record_label:
        raise ValidationError(_("请填写备案材料名称或编号。"))
    for key in ("decision_date", "filing_date", "received_date", "reviewed_date"):
        if data.get(key) is not None and not isinstance(data[key], date):
            raise ValidationError(
                _("%(verbose_name)s格式不正确。")
                % {"verbose_name": FilingCheck._meta.get_field(key).verbose_name}
            )
    values = {k: data[k] for k in FILING_FIELDS if k in data}
    values["checked_by"] = actor if getattr(actor, "is_authenticated", False) else None
    check, _created = FilingCheck.objects.update_or_create(
        indicator=indicator, subject=subject, record_label=record_label, defaults=values
    )
    checks = list(FilingCheck.objects.filter(indicator=indicator, subject=subject))
    clean = sum(1 for c in checks if not marks.filing_breaches(filing_facts(c)))
    fraction = Decimal(clean) / Decimal(len(checks))
    value = marks.leaf_value(indicator.method, indicator.max_score or marks.ZERO, fraction)
    breaches = marks.filing_breaches(filing_facts(check))
    scores_save(
        subject=subject,
        changes=[
            ScoreChange(
                indicator, value, f"抽查备案材料 {len(checks)} 份，{len(checks) - clean} 份存在问题"
            )
        ],
        actor=actor,
        source=ScoreSource.FILING_CHECK,
    )
    audit_record(
        action=audit_actions.ONSITE_FILING_CHECK_SAVE,
        actor=actor,
        obj=check,
        scheme_id=subject.scheme_id,
        after={
            **{k: values.get(k) for k in FILING_FIELDS},
            "breaches": breaches,
            "leaf_value": value,
        },
    )
    return check
