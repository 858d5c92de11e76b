"""`kaohe onsite-demo`: on-site set-up for the demo scheme (team, schedule, checklists)."""

from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from kaohe.accounts.models import User
from kaohe.demo.builder import SCHEME_CODE
from kaohe.onsite.models import CaseSheet, Team
from kaohe.onsite.services.checklists import checklists_from_requirements
from kaohe.onsite.services.reviews import DEFAULT_CRITERIA, case_sheet_save
from kaohe.onsite.services.teams import team_create, visit_assign, visit_schedule
from kaohe.schemes.models import Scheme

TEAM_NAME = "第一考核组"
PER_DAY = 2


class Command(BaseCommand):
    help = "为演示方案建立第一考核组（组长 team1）、日程、检查清单和案卷评查标准（可重复运行）。"

    @transaction.atomic
    def handle(self, *args, **options):
        scheme = Scheme.objects.filter(code=SCHEME_CODE).first()
        leader = User.objects.filter(username="team1").first()
        if scheme is None or leader is None:
            raise CommandError("请先建立演示数据（kaohe demo 或 build_demo）。")
        team = Team.objects.filter(scheme=scheme, name=TEAM_NAME).first()
        if team is None:
            team = _teams(scheme, leader)
        subjects = list(scheme.subjects.select_related("unit").order_by("order")[:12])
        visits = visit_assign(team=team, subjects=subjects)
        day = scheme.onsite_start
        for index, visit in enumerate(visits):
            while day.weekday() >= 5:
                day += timedelta(days=1)
            visit_schedule(
                visit=visit,
                day=day,
                time_slot="上午" if index % PER_DAY == 0 else "下午",
                place=f"{visit.subject.unit.name}会议室",
            )
            if index % PER_DAY == PER_DAY - 1:
                day += timedelta(days=1)
            if day > scheme.onsite_end:
                day = scheme.onsite_end
        review_leaf = scheme.indicators.filter(name__contains="行政复议案卷").first()
        if review_leaf and not CaseSheet.objects.filter(indicator=review_leaf).exists():
            case_sheet_save(indicator=review_leaf, criteria=DEFAULT_CRITERIA)
        made = checklists_from_requirements(scheme=scheme)
        self.stdout.write(
            f"{TEAM_NAME}：{len(visits)} 个考核对象已排期；新生成检查清单 {len(made)} 份。"
            "以 team1 登录，打开“实地考核”。"
        )


def _teams(scheme, leader):
    """Seed 003: 8 staff in four teams of two, each led by a county-level leader (县级领导干部)."""
    from kaohe.accounts.choices import Role
    from kaohe.accounts.services import role_assign, user_create
    from kaohe.demo.builder import DEMO_PASSWORD

    office = leader.unit
    first = None
    for number in range(1, 5):
        team_leader = leader
        if number > 1:
            team_leader = user_create(
                username=f"team{number}",
                password=DEMO_PASSWORD,
                display_name=f"第{'一二三四'[number - 1]}考核组 组长",
                unit=office,
            )
            role_assign(
                user=team_leader,
                role=Role.TEAM_LEADER,
                unit=scheme.owner_unit,
                include_subtree=True,
            )
        member = user_create(
            username=f"member{number}",
            password=DEMO_PASSWORD,
            display_name=f"第{'一二三四'[number - 1]}考核组 组员",
            unit=office,
        )
        role_assign(
            user=member, role=Role.TEAM_MEMBER, unit=scheme.owner_unit, include_subtree=True
        )
        team = team_create(
            scheme=scheme,
            name=f"第{'一二三四'[number - 1]}考核组",
            leader=team_leader,
            members=[member],
            order=number,
            leader_rank="县级领导干部",
        )
        first = first or team
    return first
