from django.db import models


class Role(models.TextChoices):
    """Roles are assigned on a unit of the tree, optionally covering its subtree."""

    SYSTEM_ADMIN = "system_admin", "系统管理员"
    SECURITY_ADMIN = "security_admin", "安全管理员"
    AUDIT_ADMIN = "audit_admin", "审计管理员"
    OFFICE_ADMIN = "office_admin", "考核办管理员"
    TEAM_LEADER = "team_leader", "考核组组长"
    TEAM_MEMBER = "team_member", "考核组成员"
    UNIT_USER = "unit_user", "被考核单位用户"


TEAM_ROLES = (Role.TEAM_LEADER, Role.TEAM_MEMBER)
