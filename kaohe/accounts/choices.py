from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """Roles are assigned on a unit of the tree, optionally covering its subtree."""

    SYSTEM_ADMIN = "system_admin", _("系统管理员")
    SECURITY_ADMIN = "security_admin", _("安全管理员")
    AUDIT_ADMIN = "audit_admin", _("审计管理员")
    OFFICE_ADMIN = "office_admin", _("考核办管理员")
    TEAM_LEADER = "team_leader", _("考核组组长")
    TEAM_MEMBER = "team_member", _("考核组成员")
    UNIT_USER = "unit_user", _("被考核单位用户")


TEAM_ROLES = (Role.TEAM_LEADER, Role.TEAM_MEMBER)
