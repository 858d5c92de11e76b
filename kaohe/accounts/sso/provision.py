"""What a successful SSO sign-in maps to, whatever the protocol.

- An existing user with the same username is that user (roles stay as assigned here).
- An unknown username becomes a new, inactive user without a password: a security/system
  admin assigns unit and roles and enables it. The IdP's groups are never turned into roles.
- Users holding a 三员 role (system, security, audit admin) or superuser sign in only with
  their local password, unless KAOHE_SSO_ADMINS is on.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from kaohe.accounts.access import ADMIN_ROLES
from kaohe.accounts.models import User
from kaohe.accounts.services import user_create
from kaohe.audit.services import audit_record

SSO_USER_CREATE = "sso.user.create"
SSO_REFUSED = "login.sso.refused"
SSO_INACTIVE = "login.sso.inactive"
LABELS = {"ldap": "LDAP", "oidc": "OpenID Connect", "cas": "CAS"}
SSO_VIA = "kaohe_sso_via"  # session key: the protocol this session signed in with


def _is_admin(user: User) -> bool:
    return user.is_superuser or user.role_assignments.filter(role__in=ADMIN_ROLES).exists()


def _refuse(username: str, source: str, reason: str, user=None) -> None:
    audit_record(
        action=SSO_REFUSED,
        obj=user,
        after={"username": username[:150], "via": source},
        message=f"{LABELS.get(source, source)} 单点登录被拒绝：{reason}",
    )


@transaction.atomic
def sso_user(*, username: str, source: str, display_name: str = "", email: str = ""):
    """The local user for an identity the IdP vouched for, or None when refused."""
    username = (username or "").strip()
    if not username:
        _refuse(username, source, "身份提供方未给出用户名")
        return None
    user = User.objects.filter(username=username).first()
    if user is None:
        try:
            user = user_create(
                username=username,
                password=None,
                display_name=display_name[:64],
                email=email if "@" in email else "",
            )
        except ValidationError as exc:
            _refuse(username, source, "用户名不合规：" + "；".join(exc.messages))
            return None
        User.objects.filter(pk=user.pk).update(is_active=False)
        user.is_active = False
        audit_record(
            action=SSO_USER_CREATE,
            obj=user,
            after={"username": username, "via": source},
            message=f"首次通过 {LABELS.get(source, source)} 登录，已建立停用状态的账号，待分配角色后启用",
        )
        return user
    if _is_admin(user) and not getattr(settings, "KAOHE_SSO_ADMINS", False):
        _refuse(username, source, "三员管理员只能使用本地账号登录", user)
        return None
    if not user.is_active:
        note_inactive(user, source)
    return user


def note_inactive(user, source: str) -> None:
    """An inactive user came back through SSO (still waiting for roles): one audit event."""
    audit_record(
        action=SSO_INACTIVE,
        obj=user,
        after={"username": user.username, "via": source},
        message="账号尚未启用，单点登录未放行",
    )
