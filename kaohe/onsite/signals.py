"""A team's membership has no timestamp of its own: every change to it moves the team's
`updated_at`, which the schemes' visibility stamp names (schemes/access.py `visibility_stamp`),
so a member added or removed sees the change on the next request, however it was written."""

from django.db.models.signals import m2m_changed
from django.dispatch import receiver
from django.utils import timezone

from .models import Team


def _touch(team_ids) -> None:
    if team_ids:
        Team.objects.filter(pk__in=team_ids).update(updated_at=timezone.now())


@receiver(m2m_changed, sender=Team.members.through)
def team_members_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if not reverse:  # team.members.add(user)
        if action in ("post_add", "post_remove", "post_clear"):
            _touch([instance.pk])
    elif action in ("post_add", "post_remove"):  # user.onsite_teams.add(team)
        _touch(pk_set)
    elif action == "pre_clear":  # user.onsite_teams.clear(): the teams before they go
        _touch(list(Team.objects.filter(members=instance).values_list("pk", flat=True)))
