"""`kaohe create-token USERNAME [--scope read|write] [--expires DAYS] [--name NAME]`.

Prints the token once, alone on the last line (scripts take `| tail -n 1`).
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from kaohe.api.choices import TokenScope
from kaohe.api.services import DEFAULT_DAYS, token_create


class Command(BaseCommand):
    help = "为用户创建接口令牌（只显示一次）/ create a personal API token"

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--scope", choices=TokenScope.values, default=TokenScope.READ)
        parser.add_argument("--expires", type=int, default=DEFAULT_DAYS, help="有效天数")
        parser.add_argument("--name", default="", help="令牌名称（用途），默认“命令行创建”")

    def handle(self, *args, username, scope, expires, name, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"用户 {username} 不存在。")
        try:
            token, secret = token_create(
                user=user, name=name or "命令行创建", scope=scope, days=expires
            )
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages)) from exc
        self.stdout.write(
            f"已为 {username} 创建令牌“{token.name}”（{token.get_scope_display()}，"
            f"有效期至 {token.expires_at:%Y-%m-%d}）。令牌只显示这一次："
        )
        self.stdout.write(secret)
