"""Who may see and do what in a scheme, built on the primitives of kaohe.accounts.access.

Apps above `schemes` import this module as their one access module: it re-exports the
primitives (roles on units) and adds the scheme rules (office of the owner unit manages;
teams work on the subjects they visit; a unit sees its own subjects). Missing and not-yours
give the same 404, and a denial is recorded in the audit chain.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import OuterRef, Q
from django.http import Http404
from django.utils.translation import gettext

from kaohe.accounts.access import (  # noqa: F401 — re-exported primitives
    ADMIN_ROLES,
    TEAM_ROLES,
    Grant,
    Role,
    can_assign_roles,
    can_manage_security,
    can_manage_users,
    can_read_audit,
    forget_grants,
    grants,
    has_role_anywhere,
    has_role_on,
    is_office_anywhere,
    is_office_of,
    is_team_of,
    is_unit_user_of,
    record_denial,
    superuser_powers,
    team_subject_q,
    unit_q,
)
from kaohe.accounts.viewer import per_viewer
from kaohe.common.cached import (
    fetch_row,
    latest_and_count,
    stamp_row,
    stamp_text,
)

from .choices import ComponentCode
from .models import Scheme, Subject


def can_manage_scheme(user, scheme) -> bool:
    """Office admins of the scheme's owning unit (or above it) build and run the scheme."""
    return is_office_of(user, scheme.owner_unit)


def can_view_all_subjects(user, scheme) -> bool:
    """Only the office sees every subject; teams see the subjects assigned to them."""
    return can_manage_scheme(user, scheme)


def can_score(user, scheme) -> bool:
    """Who may enter leaf scores in a scheme at all: the office and its assessment teams."""
    return can_manage_scheme(user, scheme) or has_role_on(user, TEAM_ROLES, scheme.owner_unit)


def can_score_subject(user, subject) -> bool:
    """The office for every subject; a team member only for the subjects of their team."""
    if can_manage_scheme(user, subject.scheme):
        return True
    if not has_role_on(user, TEAM_ROLES, subject.scheme.owner_unit):
        return False
    return subject.pk in team_subject_ids(user, subject.scheme)


def enterable_components(user, subject) -> frozenset | None:
    """Component codes whose leaves the user may type for this subject (None: all of them).

    The office types every leaf; a team only the on-site component of its own subjects (daily
    and satisfaction scores come from the office, imports, tests and surveys).
    """
    if can_manage_scheme(user, subject.scheme):
        return None
    if can_score_subject(user, subject):
        return frozenset({ComponentCode.ON_SITE})
    return frozenset()


def _owner_q(user, roles, prefix: str = "") -> Q:
    """Schemes (or rows through `prefix`) whose owner unit one of the user's `roles` covers:
    the assignment is on the owner unit itself or, with its subtree, on a unit above it."""
    q = Q(pk__in=[])
    for g in grants(user):
        if g.role in roles:
            q |= Q(**{f"{prefix}owner_unit_id": g.unit_id})
            if g.include_subtree and g.unit_path:
                q |= Q(**{f"{prefix}owner_unit__path__startswith": g.unit_path})
    return q


def scheme_q(user) -> Q | None:
    """The rule behind Scheme.objects.restrict(user) (None: every scheme)."""
    if superuser_powers(user):
        return None
    subject_units = unit_q(user, Role.UNIT_USER, prefix="subjects__unit__")
    return _owner_q(user, (Role.OFFICE_ADMIN, *TEAM_ROLES)) | subject_units


def subject_q(user) -> Q | None:
    """The rule behind Subject.objects.restrict(user): every subject of the schemes the user's
    office runs, the subjects their team visits, their own unit(s) (None: every subject)."""
    if superuser_powers(user):
        return None
    office = _owner_q(user, (Role.OFFICE_ADMIN,), prefix="scheme__")
    team = _owner_q(user, TEAM_ROLES, prefix="scheme__") & team_subject_q(user)
    return office | team | unit_q(user, Role.UNIT_USER, prefix="unit__")


def visible_schemes(user):
    return Scheme.objects.restrict(user)


def visible_subjects(user, scheme):
    """Subjects of a scheme the user may see: all for the office, their team's subjects for
    assessment teams, their own unit(s) for unit users."""
    qs = scheme.subjects.select_related("unit", "grading_category", "unit_category")
    if can_view_all_subjects(user, scheme):
        return qs
    return qs.restrict(user)


def _unit_roles_only(user) -> bool:
    return not superuser_powers(user) and all(g.role == Role.UNIT_USER for g in grants(user))


def visibility_stamp(scheme) -> tuple:
    """One cheap query naming who sees which of the scheme's subjects: the subjects, the teams
    (a membership change moves the team's updated_at: onsite/signals.py) and their visits (read
    once per scheme object, i.e. once per request)."""
    memo = scheme.__dict__
    if "_kaohe_visibility" not in memo:
        memo["_kaohe_visibility"] = stamp_row("schemes.visibility", _visibility_query, scheme.pk)
    return memo["_kaohe_visibility"]


def _visibility_query(scheme_pk: int):
    subjects = Subject.objects.filter(scheme=OuterRef("pk"))
    visited = subjects.filter(visit__isnull=False)
    teams = Scheme.objects.filter(pk=OuterRef("pk"), teams__isnull=False)  # a row per team
    return (
        Scheme.objects.filter(pk=scheme_pk)
        .annotate(
            **latest_and_count("s", subjects, "scheme"),
            **latest_and_count("v", visited, "scheme", "visit__updated_at"),
            **latest_and_count("t", teams, "pk", "teams__updated_at"),
        )
        .values_list("s_at", "s_n", "v_at", "v_n", "t_at", "t_n")
    )


def _per_viewer_in_scheme(user, scheme, name: str, compute):
    """`compute()` cached per viewer (their roles: accounts/viewer.py) and per state of the
    scheme's subjects, teams and visits (`visibility_stamp`)."""
    stamp = stamp_text(visibility_stamp(scheme))
    return per_viewer(user, f"{name}:{scheme.pk}:{stamp}", compute)


def visible_subject_ids(user, scheme) -> list[int]:
    """Sorted ids of the scheme's subjects the user may see (`visible_subjects`).

    Apart from the office (which sees them all), they follow from the viewer's roles and the
    scheme's subjects, teams and visits alone, so they are cached under both: two queries of
    every page a unit or a team opens become one cheap one.
    """

    def compute() -> list[int]:
        return sorted(visible_subjects(user, scheme).order_by().values_list("pk", flat=True))

    if superuser_powers(user) or can_view_all_subjects(user, scheme):
        return compute()
    return _per_viewer_in_scheme(user, scheme, "subjects", compute)


def team_subject_ids(user, scheme) -> frozenset[int]:
    """The subjects of the scheme that a team the user leads or belongs to visits."""
    return _per_viewer_in_scheme(
        user,
        scheme,
        "team-subjects",
        lambda: frozenset(
            Subject.objects.filter(team_subject_q(user), scheme=scheme).values_list("pk", flat=True)
        ),
    )


def _scheme_row(pk: int):
    return Scheme.objects.select_related("owner_unit").filter(pk=pk)


def _subject_row(pk: int):
    return Subject.objects.select_related(
        "scheme__owner_unit", "unit", "grading_category", "unit_category"
    ).filter(pk=pk)


def access_scheme(user, pk, *, manage: bool = False):
    # Served from the cache under the row's own content: every page of a scheme asks first.
    scheme = fetch_row("schemes.scheme", _scheme_row, pk)
    if scheme is None:
        raise Http404("考核方案不存在")
    if manage:
        allowed = can_manage_scheme(user, scheme)
    else:
        # The office and teams of the owner unit need no query (scheme_q's first term, decided
        # on the grants); anyone else through the full rule.
        allowed = has_role_on(user, (Role.OFFICE_ADMIN, *TEAM_ROLES), scheme.owner_unit) or (
            bool(visible_subject_ids(user, scheme))
            if _unit_roles_only(user)  # a unit sees a scheme with a subject of its own
            else visible_schemes(user).filter(pk=scheme.pk).exists()
        )
    if not allowed:
        record_denial(user, "scheme", pk)
        raise Http404("考核方案不存在")
    return scheme


def access_subject(user, pk, *, score: bool = False):
    subject = fetch_row("schemes.subject", _subject_row, pk)
    if subject is None:
        raise Http404("考核对象不存在")
    if score:
        allowed = can_score_subject(user, subject)
    else:
        allowed = can_score_subject(user, subject) or has_role_on(
            user, Role.UNIT_USER, subject.unit
        )
    if not allowed:
        record_denial(user, "subject", pk)
        raise Http404("考核对象不存在")
    return subject


def can_join_team(user, scheme) -> bool:
    """Who may be put on an assessment team: team roles (or the office) on the owner unit."""
    return is_team_of(user, scheme.owner_unit) or is_office_of(user, scheme.owner_unit)


def require_manage_scheme(user, scheme) -> None:
    """For services: refuse (403) anyone but the scheme's office."""
    if user is None or not can_manage_scheme(user, scheme):
        raise PermissionDenied(gettext("只有本方案的考核办管理员可以执行此操作。"))


def is_unit_of_subject(user, subject) -> bool:
    return is_unit_user_of(user, subject.unit)


def is_team_of_scheme(user, scheme) -> bool:
    return is_team_of(user, scheme.owner_unit)


def team_covers_unit(user, scheme, unit) -> bool:
    """A team leader/member may read a unit's material (tasks, files) in a scheme only when
    the unit is — or lies below — a subject assigned to one of their teams' visits. The one
    rule for "teams see only their assigned subjects" (docs/onsite.md, docs/security.md)."""
    if unit is None or not is_team_of(user, scheme.owner_unit):
        return False
    visited = Subject.objects.filter(team_subject_q(user), scheme=scheme).values_list(
        "unit_id", "unit__path"
    )
    return any(unit.pk == pk or (bool(path) and unit.path.startswith(path)) for pk, path in visited)
