"""Surveys: a questionnaire run for a scheme's subjects; links, invitation codes."""

import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kaohe.audit.services import audit_record
from kaohe.common.services import model_update
from kaohe.schemes.choices import SCORE_EDITABLE_STATUSES

from .. import audit_actions as actions
from ..choices import SurveyMode
from ..models import Invitation, Survey, SurveyTarget
from .common import require_office

# Codes people type from a slip: no 0/O, 1/I/L.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8
MAX_INVITATIONS = 2000
SURVEY_FIELDS = [
    "title",
    "indicator",
    "opens_at",
    "closes_at",
    "quota",
    "min_answers",
    "invitation_only",
]


def new_token() -> str:
    return secrets.token_urlsafe(16)


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _i in range(CODE_LENGTH))


def window_state(survey: Survey, now=None) -> str:
    """'before', 'open' or 'closed' (derived when read, never stored)."""
    now = now or timezone.now()
    if now < survey.opens_at:
        return "before"
    if now >= survey.closes_at:
        return "closed"
    return "open"


def accepts_answers(survey: Survey, now=None) -> bool:
    return window_state(survey, now) == "open" and survey.scheme.status in SCORE_EDITABLE_STATUSES


def _check(survey: Survey) -> None:
    errors = {}
    if survey.closes_at <= survey.opens_at:
        errors["closes_at"] = _("截止时间必须晚于开始时间。")
    if survey.questionnaire.scheme_id != survey.scheme_id:
        errors["questionnaire"] = _("问卷不属于本方案。")
    if survey.indicator is not None:
        leaf = survey.indicator
        if leaf.scheme_id != survey.scheme_id or leaf.children.exists():
            errors["indicator"] = _("计分指标必须是本方案的末级指标。")
    if survey.quota is not None and survey.quota < survey.min_answers:
        errors["quota"] = _("答卷上限不能小于最少答卷数。")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def survey_create(
    *,
    scheme,
    questionnaire,
    title: str,
    opens_at,
    closes_at,
    subjects,
    actor,
    mode: str = SurveyMode.PER_SUBJECT,
    indicator=None,
    quota: int | None = None,
    min_answers: int = 0,
    invitation_only: bool = False,
) -> Survey:
    """Create a survey and one target (link + counter) per subject."""
    require_office(actor, scheme)
    subjects = list(subjects)
    if not subjects:
        raise ValidationError(_("请至少选择一个考核对象。"))
    if any(s.scheme_id != scheme.pk for s in subjects):
        raise ValidationError(_("所选单位不是本方案的考核对象。"))
    if not questionnaire.questions.exists():
        raise ValidationError(_("问卷还没有题目。"))
    survey = Survey(
        scheme=scheme,
        questionnaire=questionnaire,
        title=title,
        mode=mode,
        opens_at=opens_at,
        closes_at=closes_at,
        indicator=indicator,
        quota=quota,
        min_answers=min_answers,
        invitation_only=invitation_only,
        token=new_token(),
    )
    survey.full_clean()
    _check(survey)
    survey.save()
    SurveyTarget.objects.bulk_create(
        SurveyTarget(survey=survey, subject=s, token=new_token()) for s in subjects
    )
    audit_record(
        action=actions.SURVEY_CREATE,
        actor=actor,
        obj=survey,
        scheme_id=scheme.pk,
        after={
            "title": title,
            "mode": mode,
            "opens_at": opens_at,
            "closes_at": closes_at,
            "indicator": indicator.code if indicator else None,
            "subjects": len(subjects),
        },
    )
    return survey


@transaction.atomic
def survey_update(*, survey: Survey, data: dict, actor) -> Survey:
    """Change the window (extend), the leaf, quota or minimum."""
    require_office(actor, survey.scheme)
    old = {f: getattr(survey, f) for f in SURVEY_FIELDS}
    survey, changes = model_update(instance=survey, fields=SURVEY_FIELDS, data=data)
    try:
        _check(survey)
    except ValidationError:
        for name, value in old.items():
            setattr(survey, name, value)
        raise
    if changes:
        audit_record(
            action=actions.SURVEY_UPDATE,
            actor=actor,
            obj=survey,
            scheme_id=survey.scheme_id,
            before={k: v[0] for k, v in changes.items()},
            after={k: v[1] for k, v in changes.items()},
        )
    return survey


@transaction.atomic
def invitations_create(
    *, survey: Survey, count: int, actor, target: SurveyTarget | None = None, batch: str = ""
) -> list[Invitation]:
    """Single-use codes, printed as slips; a per-subject survey needs the subject."""
    require_office(actor, survey.scheme)
    if not 1 <= count <= MAX_INVITATIONS:
        raise ValidationError(_("一次生成 1 到 %(n)s 个邀请码。") % {"n": MAX_INVITATIONS})
    if target is not None and target.survey_id != survey.pk:
        raise ValidationError(_("单位不属于该调查。"))
    if survey.mode == SurveyMode.PER_SUBJECT and target is None:
        raise ValidationError(_("按单位发放的调查须为每个单位分别生成邀请码。"))
    codes: set[str] = set()
    while len(codes) < count:
        codes.add(new_code())
    taken = set(Invitation.objects.filter(code__in=codes).values_list("code", flat=True))
    rows = [
        Invitation(survey=survey, target=target, code=c, batch=batch[:64])
        for c in sorted(codes - taken)
    ]
    Invitation.objects.bulk_create(rows)
    audit_record(
        action=actions.INVITATIONS_CREATE,
        actor=actor,
        obj=survey,
        scheme_id=survey.scheme_id,
        after={"count": len(rows), "target": target.subject_id if target else None, "batch": batch},
    )
    return list(Invitation.objects.filter(code__in=[r.code for r in rows]))
