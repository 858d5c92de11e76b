"""Password sign-in: Django's ModelBackend, except that superusers are refused outside the
demo, development and tests (KAOHE_SUPERUSERS_ALLOWED), where 三员 roles do the work."""

from django.conf import settings
from django.contrib.auth import backends
from django.utils.translation import gettext

from kaohe.accounts import audit_actions
from kaohe.common.compiled import fetch_instance, valid_id


def superuser_refused(user) -> bool:
    return bool(getattr(user, "is_superuser", False)) and not getattr(
        settings, "KAOHE_SUPERUSERS_ALLOWED", False
    )


def _user_by_id(pk):
    from .models import User

    return User.objects.filter(pk=pk)


class ModelBackend(backends.ModelBackend):
    def get_user(self, user_id):
        """The signed-in user, read on every request: through the compiled, prepared lookup
        (kaohe/common/compiled.py), not the ORM's per-request query building."""
        pk = valid_id(user_id)
        user = fetch_instance("accounts.user", _user_by_id, pk) if pk is not None else None
        return user if user is not None and self.user_can_authenticate(user) else None

    def user_can_authenticate(self, user):
        # Also ends an existing superuser session: get_user() asks the same question.
        return not superuser_refused(user) and super().user_can_authenticate(user)

    def authenticate(self, request, username=None, password=None, **kwargs):
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None and username:
            from .models import User

            target = User.objects.filter(username=username, is_superuser=True).first()
            if target is not None and superuser_refused(target):
                from kaohe.audit.context import client_ip
                from kaohe.audit.services import audit_record

                audit_record(
                    action=audit_actions.LOGIN_SUPERUSER_REFUSED,
                    obj=target,
                    ip_address=client_ip(request) if request is not None else "",
                    message=gettext("生产环境不允许超级用户登录（请使用三员角色）"),
                )
        return user
