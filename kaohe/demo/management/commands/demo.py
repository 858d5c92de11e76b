"""`kaohe demo`: load the seeds' 2020 assessment (once) and print the demo accounts."""

from django.core.management.base import BaseCommand, CommandError

from kaohe.demo.builder import SCHEME_CODE, accounts_text, build_demo, demo_exists


class Command(BaseCommand):
    help = "载入 2020 年度濮阳市依法行政考核演示数据 / load the 2020 demo assessment"

    def handle(self, *args, **options):
        from django.conf import settings

        if not (settings.DEBUG or settings.DEMO or settings.TESTING):
            raise CommandError(
                "演示数据只能在演示或开发环境载入（设置 KAOHE_DEMO=1 或 DEBUG=1）；"
                "正式环境请用 kaohe create-admin 建立初始管理员。"
            )
        if demo_exists():
            self.stdout.write(f"演示方案 {SCHEME_CODE} 已存在，跳过载入。")
        else:
            scheme = build_demo()
            # The rest of the year's work, so every page of the demo has something to show.
            from django.core.management import call_command

            from kaohe.tasks.services import tasks_generate

            _responsibilities(scheme)
            tasks_generate(scheme=scheme)
            call_command("onsite_demo", stdout=self.stdout)
            _notice(scheme)
            self.stdout.write(self.style.SUCCESS(f"已载入演示方案 {SCHEME_CODE}。"))
        self.stdout.write(accounts_text())


def _responsibilities(scheme) -> None:
    """As the office would: confirm seed 000's abbreviations as aliases, keep its leading group,
    and link group phrases (各县市区人民政府, 市直考核对象) so every member gets its tasks.
    市卫生监督局 stays unconfirmed: the 责任单位核对 page shows it with a suggestion."""
    from kaohe.demo import seed2020 as seed
    from kaohe.orgs.models import Unit
    from kaohe.orgs.services import unit_group_save
    from kaohe.transfer.responsibility import responsibility_resolve
    from kaohe.transfer.services import unit_alias_save

    owner = scheme.owner_unit
    units = {u.name: u for u in Unit.objects.filter(path__startswith=owner.path)}
    for name, full in seed.RESPONSIBLE_ALIASES.items():
        unit_alias_save(owner_unit=owner, name=name, unit=units[full])
    unit_group_save(
        owner_unit=owner,
        name=seed.LEADING_GROUP,
        members=[units[n] for n in seed.LEADING_GROUP_MEMBERS],
        note="演示数据：成员单位以正式文件为准",
    )
    responsibility_resolve(scheme=scheme)


def _notice(scheme) -> None:
    """The demo notice carries seed 003's facts (文号, 主送机关, dates, narrative); section 一
    is drafted from the scheme (dates, the four teams of two, subjects, weights)."""
    from kaohe.demo import seed2020 as seed
    from kaohe.publishing.notice_content import notice_prepare
    from kaohe.publishing.services.notice import notice_update

    notice = notice_prepare(scheme=scheme)
    notice_update(notice=notice, data=dict(seed.NOTICE))
