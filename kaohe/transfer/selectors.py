"""Reads for the transfer pages, always for a user."""

from django.http import Http404
from django.utils.translation import gettext as _

from kaohe.accounts.choices import TEAM_ROLES, Role
from kaohe.orgs.models import Unit
from kaohe.schemes import access

from .models import ImportJob, UnitAlias


def managed_units(user):
    """Units where the user is an office admin (the roots their imports may write under)."""
    if access.superuser_powers(user):
        return Unit.objects.filter(parent__isnull=True)
    ids = [g.unit_id for g in access.grants(user) if g.role == Role.OFFICE_ADMIN]
    return Unit.objects.filter(pk__in=ids)


def access_owner_unit(user, pk) -> Unit:
    unit = Unit.objects.filter(pk=pk).first()
    if unit is None or not access.is_office_of(user, unit):
        raise Http404(_("单位不存在"))
    return unit


def manageable_schemes(user):
    return [
        s
        for s in access.visible_schemes(user).select_related("owner_unit")
        if access.can_manage_scheme(user, s)
    ]


def access_job(user, pk) -> ImportJob:
    """A job is seen by the one who uploaded it, while they still manage its scope."""
    job = ImportJob.objects.select_related("scheme__owner_unit", "owner_unit").filter(pk=pk).first()
    if job is None or job.created_by_id != user.pk:
        raise Http404(_("导入任务不存在"))
    if not access.is_office_of(user, job.owner_unit):
        raise Http404(_("导入任务不存在"))
    return job


def recent_jobs(user, limit: int = 20):
    return ImportJob.objects.filter(created_by=user).select_related("scheme")[:limit]


def aliases_for(user):
    units = managed_units(user)
    return UnitAlias.objects.filter(owner_unit__in=units).select_related("unit", "owner_unit")


def access_alias(user, pk) -> UnitAlias:
    alias = UnitAlias.objects.select_related("owner_unit").filter(pk=pk).first()
    if alias is None or not access.is_office_of(user, alias.owner_unit):
        raise Http404(_("别名不存在"))
    return alias


def visible_units(user):
    """Units a user may list: office/teams see their subtrees, unit users their own unit."""
    if access.superuser_powers(user):
        return Unit.objects.all()
    return Unit.objects.filter(
        access.unit_q(user, (Role.OFFICE_ADMIN, *TEAM_ROLES, Role.UNIT_USER))
    )


def score_subjects(user, scheme):
    """Subjects whose scores the user may export: all for office/teams; a unit user only
    their own, and only once results are published (公示/定稿)."""
    if access.can_view_all_subjects(user, scheme):
        return access.visible_subjects(user, scheme)
    if not scheme.results_published:
        return scheme.subjects.none()
    return access.visible_subjects(user, scheme)


def groups_for(user):
    from kaohe.orgs.models import UnitGroup

    return (
        UnitGroup.objects.filter(owner_unit__in=managed_units(user))
        .select_related("owner_unit")
        .prefetch_related("members")
    )


def access_group(user, pk):
    from kaohe.orgs.models import UnitGroup

    group = UnitGroup.objects.select_related("owner_unit").filter(pk=pk).first()
    if group is None or not access.is_office_of(user, group.owner_unit):
        raise Http404(_("单位组不存在"))
    return group
