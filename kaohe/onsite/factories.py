"""Test factories for on-site work: a team visiting subjects."""

from .services.teams import team_create, visit_assign


def make_team(scheme, *, leader, name: str = "第一考核组", subjects=(), members=()):
    team = team_create(scheme=scheme, name=name, leader=leader, members=list(members))
    if subjects:
        visit_assign(team=team, subjects=list(subjects))
    return team
