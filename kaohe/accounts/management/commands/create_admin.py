"""`kaohe create-admin USERNAME --unit NAME [--role R]`: the initial 三员 accounts.

A production install starts with no accounts at all (the demo's accounts exist only after
`kaohe demo`). This creates the first system admin (default), security admin or audit admin
on the top unit (created when the database has none), with a temporary password that must
be changed at first sign-in. Roles are otherwise assigned by the security admin only, so the
operator bootstraps each of the three once; every run is in the audit log.
"""

import secrets

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from kaohe.accounts.choices import Role
from kaohe.accounts.models import RoleAssignment, User
from kaohe.accounts.services import role_assign, user_create


class Command(BaseCommand):
    help = "创建初始系统管理员（首次登录须修改密码）/ create the initial system admin"

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--unit", required=True, help="顶层单位名称，如“濮阳市”")
        parser.add_argument(
            "--role",
            default=Role.SYSTEM_ADMIN,
            choices=[Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN],
            help="system_admin（默认）、security_admin 或 audit_admin，各只能初始创建一次",
        )
        parser.add_argument("--display-name", default="")
        parser.add_argument(
            "--password",
            help="初始密码（省略则随机生成并打印）；也可用环境变量 KAOHE_ADMIN_PASSWORD",
        )

    @transaction.atomic
    def handle(self, *args, username, unit, display_name, role, password=None, **options):
        import os

        from kaohe.orgs.models import Unit
        from kaohe.orgs.services import unit_create

        label = Role(role).label
        display_name = display_name or label
        if RoleAssignment.objects.filter(role=role).exists():
            raise CommandError(
                f"已存在{label}；其他账号由系统管理员创建、角色由安全管理员分配（三员分立）。"
            )
        if User.objects.filter(username=username).exists():
            raise CommandError(f"用户名 {username} 已存在。")
        top = Unit.objects.filter(name=unit, parent=None).first() or unit_create(name=unit)
        password = password or os.environ.get("KAOHE_ADMIN_PASSWORD") or ""
        generated = not password
        if generated:
            password = secrets.token_urlsafe(12) + "-Aa1"
        else:
            from django.contrib.auth.password_validation import validate_password
            from django.core.exceptions import ValidationError

            try:
                validate_password(password, User(username=username))
            except ValidationError as exc:
                raise CommandError("初始密码不符合密码策略：" + "；".join(exc.messages)) from exc
        user = user_create(
            username=username,
            password=password,
            display_name=display_name,
            unit=top,
            must_change_password=True,
        )
        role_assign(user=user, role=role, unit=top, include_subtree=True)
        self.stdout.write(
            f"已创建{label} {username}（{top.name} 及下级单位），首次登录须修改密码。"
        )
        if generated:
            self.stdout.write(f"初始密码：{password}")
        missing = [
            r.label
            for r in (Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN)
            if not RoleAssignment.objects.filter(role=r).exists()
        ]
        if missing:
            self.stdout.write(
                "三员尚缺："
                + "、".join(map(str, missing))
                + "，请用 kaohe create-admin … --role 创建。"
            )
