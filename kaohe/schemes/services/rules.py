"""Shared rule-change helpers: defaults, the lock on rules, recording a rule change."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext

from kaohe.audit.services import audit_record
from kaohe.common.text import join_list

from ..choices import SCORE_EDITABLE_STATUSES
from ..models import (
    Scheme,
)

DEFAULT_COMPONENTS = [
    ("daily", "日常考核", Decimal("60")),
    ("onsite", "实地考核", Decimal("30")),
    ("satisfaction", "满意度调查", Decimal("10")),
]
DEFAULT_GRADES = [
    ("优秀", Decimal("90")),
    ("良好", Decimal("80")),
    ("合格", Decimal("60")),
    ("不合格", Decimal("0")),
]

RULE_FIELDS = {"bonus_cap", "penalty_cap", "tie_break"}


def _record_rule_change(*, action: str, obj, scheme_id: int, changes: dict, actor) -> None:
    """A rule changed: results must be recomputed, and the audit chain keeps before/after."""
    if not changes:
        return
    Scheme.mark_results_stale(scheme_id)
    audit_record(
        action=action,
        actor=actor,
        obj=obj,
        scheme_id=scheme_id,
        before={k: v[0] for k, v in changes.items()},
        after={k: v[1] for k, v in changes.items()},
    )


def check_rules_editable(scheme: Scheme) -> None:
    """Indicators, weights, grades and enrolment change only while the scheme is prepared or
    run; after the results are frozen they are the rules the published results rest on."""
    if scheme.status not in SCORE_EDITABLE_STATUSES:
        raise ValidationError(
            gettext(
                "方案处于“%(status)s”阶段，考核规则（指标、权重、等次、考核对象）已锁定。如需修改，须由考核办管理员说明理由重新开启。"
            )
            % {"status": scheme.get_status_display()}
        )


def _check_tie_break(scheme: Scheme, tie_break: str) -> None:
    codes = [c.strip() for c in tie_break.split(",") if c.strip()]
    known = set(scheme.components.values_list("code", flat=True))
    unknown = [c for c in codes if c not in known]
    if unknown:
        raise ValidationError(
            {
                "tie_break": (
                    gettext(
                        "同分排序依据中的 %(value)s 不是本方案的考核类别代码（可用：%(value2)s）。"
                    )
                    % {"value": join_list(unknown), "value2": join_list(sorted(known))}
                )
            }
        )
