"""The URL access matrix: every pattern in the URLconf, filled from the demo, checked for
anonymous → login, outsider / other unit → 404, right user → 200.

How a pattern is covered (no per-view code needed for the usual cases):
- kwargs named like scheme_pk/scheme_id, subject_pk/subject_id, indicator_pk/indicator_id,
  component_pk are filled with the demo's objects;
- `pk` (or `<segment>_pk`/`<segment>_id`) is filled by the URL segment before it: `schemes/<pk>`
  → a Scheme, `tasks/<pk>` → the tasks app's Task, `teams/<pk>` → onsite Team …
  (SEGMENT_MODELS, else the namespace app's model whose name matches the segment);
- the object must exist: BUILDERS create one of each kind in the demo scheme, for 清丰县;
- ROUTES overrides anything (kwargs, users, method) for one pattern name.
A pattern that cannot be filled fails the suite with a message saying what to add here.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from django.apps import apps
from django.db import models
from django.urls import URLPattern, URLResolver, get_resolver

from kaohe.accounts.choices import Role

# Reachable without signing in (logout is POST-only; set_language is Django's i18n view).
PUBLIC = {"login", "logout", "set_language"}
# Single sign-on entry points: 404 until configured; tested against real IdPs in
# kaohe/accounts/tests/sso/.
SSO_ROUTES = ("sso_oidc_start", "sso_oidc_callback", "sso_cas_login")
# The REST API has its own matrix (api_matrix.py): 401/403/404 instead of the login page.
# favicon.ico only redirects to a static file (kaohe/home/tests).
SKIP_PREFIXES = ("django-admin/", "static/", "media/", "api/v1/", "favicon.ico")
# The examinee's pages: no account, a one-time code opens them (tested in kaohe/exams).
PUBLIC |= {
    "exams:take_start",
    "exams:take",
    "exams:take_save",
    "exams:take_event",
    "exams:take_submit",
    "exams:take_done",
}
# Survey respondent pages: anyone with the unguessable link (tested in kaohe/surveys/tests).
PUBLIC |= {
    "survey_public:answer",
    "survey_public:thanks",
    "survey_public:pick",
    "survey_public:pick_thanks",
}
MISSING_PK = 987654321

NAME_KWARGS = {
    "scheme_pk": "schemes.scheme",
    "scheme_id": "schemes.scheme",
    "subject_pk": "schemes.subject",
    "subject_id": "schemes.subject",
    "indicator_pk": "schemes.indicator",
    "indicator_id": "schemes.indicator",
    "component_pk": "schemes.component",
    "component_id": "schemes.component",
}
SEGMENT_MODELS = {
    "schemes": "schemes.scheme",
    "subjects": "schemes.subject",
    "subject": "schemes.subject",
    "indicators": "schemes.indicator",
    "components": "schemes.component",
    "from-objection": "publishing.objection",
    "users": "accounts.user",
    "roles": "accounts.roleassignment",
    "sessions": "accounts.usersession",
    "draws": "onsite.draw",
    "forums": "surveys.forumrecord",
    "from-opinion": "surveys.forumopinion",
}
# Plain string kwargs: a valid value per kwarg name.
STRING_KWARGS: dict[str, str] = {"kind": "units"}


@dataclass
class Route:
    """Per-pattern override. `kwargs` maps kwarg → callable(ctx) returning a value."""

    kwargs: dict[str, Callable] = field(default_factory=dict)
    right: tuple[str, ...] = ()
    wrong: tuple[str, ...] = ()
    skip: str = ""  # a reason: the pattern is covered elsewhere


ROUTES: dict[str, Route] = {
    **{name: Route(skip="single sign-on: kaohe/accounts/tests/sso") for name in SSO_ROUTES},
    # Own API tokens: only their owner may revoke one.
    "api:token_revoke": Route(right=("qingfeng",), wrong=("outsider", "sifaju", "office")),
    # A page-started background run: only the user who started it sees its progress.
    "background:run": Route(right=("office",), wrong=("qingfeng", "outsider", "team1")),
    # The notice file the office's last generation run stored.
    "publishing:notice_file": Route(kwargs={"kind": lambda ctx: "docx"}),
    # In-app help: the same pages for every signed-in user (no unit data in them).
    "home:help_page": Route(
        kwargs={"slug": lambda ctx: "tasks"}, right=("office", "qingfeng"), wrong=()
    ),
    # Own account pages: the object is the signed-in user's own session.
    "session_end": Route(
        kwargs={"pk": lambda ctx: ctx.session_of("office")},
        right=("office",),
        wrong=("qingfeng", "outsider"),
    ),
    # Role-gated pages answer 403 to users without the role (tested in accounts); a system
    # admin of another city gets 404 for a user outside their units.
    "user_detail": Route(right=("sysadm",), wrong=("outsider_sys",)),
    "user_active": Route(right=("sysadm",), wrong=("outsider_sys",)),
    "user_password": Route(right=("sysadm",), wrong=("outsider_sys",)),
    "role_revoke": Route(right=("secadm",), wrong=("outsider_sys",)),  # roles: security admin
    # On-site work pages need the indicator that has the checklist / case sheet.
    "onsite:checklist_fill": Route(
        kwargs={
            "pk": lambda ctx: ctx.subject.pk,
            "indicator_id": lambda ctx: _onsite_leaf(ctx, "Checklist"),
        }
    ),
    "onsite:case_reviews": Route(
        kwargs={
            "pk": lambda ctx: ctx.subject.pk,
            "indicator_id": lambda ctx: _onsite_leaf(ctx, "CaseSheet"),
        }
    ),
    "surveys:leaf_trace": Route(
        kwargs={
            "subject_id": lambda ctx: ctx.subject.pk,
            "indicator_id": lambda ctx: ctx.scheme.indicators.get(code="S1").pk,
        }
    ),
    "survey_public:answer": Route(kwargs={"token": lambda ctx: _survey_token(ctx, "target")}),
    "survey_public:thanks": Route(kwargs={"token": lambda ctx: _survey_token(ctx, "target")}),
    "survey_public:pick": Route(kwargs={"token": lambda ctx: _survey_token(ctx, "survey")}),
    "survey_public:pick_thanks": Route(kwargs={"token": lambda ctx: _survey_token(ctx, "survey")}),
    "onsite:filing_checks": Route(
        kwargs={
            "pk": lambda ctx: ctx.subject.pk,
            "indicator_id": lambda ctx: _onsite_leaf(ctx, "filing"),
        }
    ),
    # Exams pages that exist only for one mode of sitting.
    "exams:oral": Route(kwargs={"pk": lambda ctx: _exam_sitting(ctx, "oral")}),
    "exams:paper_entry": Route(
        kwargs={"pk": lambda ctx: _exam_sitting(ctx, "paper", examinee=True)}
    ),
}


def _exam_sitting(ctx, mode: str, examinee: bool = False):
    from kaohe.exams.models import Sitting

    sitting = Sitting.objects.filter(subject=ctx.subject, mode=mode).order_by("pk").first()
    if sitting is None:
        return MISSING_PK
    return sitting.examinees.order_by("pk").first().pk if examinee else sitting.pk


def _survey_token(ctx, kind: str) -> str:
    from kaohe.surveys.models import Survey, SurveyTarget

    if kind == "survey":
        return Survey.objects.filter(scheme=ctx.scheme).order_by("pk").first().token
    return SurveyTarget.objects.filter(subject=ctx.subject).order_by("pk").first().token


def _onsite_leaf(ctx, kind: str):
    from kaohe.onsite.models import CaseSheet, Checklist

    if kind == "filing":
        leaf = ctx.scheme.indicators.filter(name__contains="备案", children__isnull=True).first()
        return leaf.pk if leaf else MISSING_PK
    model = {"Checklist": Checklist, "CaseSheet": CaseSheet}[kind]
    row = model.objects.filter(indicator__scheme=ctx.scheme).order_by("pk").first()
    return row.indicator_id if row else MISSING_PK


@dataclass
class Target:
    name: str
    route: str
    url: str = ""
    objects: list = field(default_factory=list)
    right: list[str] = field(default_factory=list)
    wrong: list[str] = field(default_factory=list)
    missing_url: str = ""
    problem: str = ""
    skip: str = ""


def walk(patterns=None, prefix="", ns=None):
    """Yield (route, name, pattern) for every URL pattern, namespaces joined with ':'."""
    for p in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(p, URLResolver):
            space = ns
            if p.namespace:
                space = f"{ns}:{p.namespace}" if ns else p.namespace
            yield from walk(p.url_patterns, prefix + str(p.pattern), space)
        elif isinstance(p, URLPattern):
            name = p.name and (f"{ns}:{p.name}" if ns else p.name)
            yield prefix + str(p.pattern), name or f"<unnamed {prefix}{p.pattern}>", p


PARAM = re.compile(r"<(?:(?P<conv>[^>:]+):)?(?P<name>[^>]+)>")


def _singular(segment: str) -> str:
    word = segment.replace("-", "").replace("_", "").lower()
    for suffix, repl in (("ies", "y"), ("ses", "s"), ("s", "")):
        if word.endswith(suffix) and len(word) > 3:
            return word[: -len(suffix)] + repl
    return word


def model_for_segment(segment: str, namespace: str | None):
    label = SEGMENT_MODELS.get(segment)
    if label:
        return apps.get_model(label)
    if not namespace:
        return None
    try:
        config = apps.get_app_config(namespace.split(":")[0])
    except LookupError:
        return None
    word = _singular(segment)
    names = {m._meta.model_name: m for m in config.get_models()}
    if word in names:
        return names[word]
    candidates = [m for n, m in names.items() if n.endswith(word)] or [
        m for n, m in names.items() if word in n
    ]
    return candidates[0] if len(candidates) == 1 else None


def _fk_targets(obj):
    for f in obj._meta.concrete_fields:
        if isinstance(f, models.ForeignKey):
            yield f


def owner_unit(obj, depth: int = 0):
    """The assessed unit an object belongs to (via subject/unit foreign keys), if any."""
    from kaohe.orgs.models import Unit
    from kaohe.schemes.models import Subject

    if isinstance(obj, Subject):
        return obj.unit
    if isinstance(obj, Unit):
        return obj
    if depth > 3:
        return None
    fks = list(_fk_targets(obj))
    for f in fks:
        if f.related_model is Subject and getattr(obj, f.attname):
            return getattr(obj, f.name).unit
    for f in fks:
        if f.related_model is Unit and f.name == "unit" and getattr(obj, f.attname):
            return getattr(obj, f.name)
    skip = {apps.get_model("accounts.User"), apps.get_model("schemes.Scheme"), Unit}
    for f in fks:
        if f.related_model in skip or not getattr(obj, f.attname):
            continue
        found = owner_unit(getattr(obj, f.name), depth + 1)
        if found is not None:
            return found
    return None


def owner_scheme_id(obj, depth: int = 0):
    from kaohe.schemes.models import Scheme

    if isinstance(obj, Scheme):
        return obj.pk
    if depth > 4:
        return None
    for f in _fk_targets(obj):
        if f.related_model is Scheme and getattr(obj, f.attname):
            return getattr(obj, f.attname)
    for f in _fk_targets(obj):
        if f.related_model._meta.app_label in {"accounts", "orgs"} or not getattr(obj, f.attname):
            continue
        found = owner_scheme_id(getattr(obj, f.name), depth + 1)
        if found is not None:
            return found
    return None


class Ctx:
    """The demo, a second city (the outsiders) and one object of every kind."""

    def __init__(self, demo, users):
        from kaohe.common.testing import make_category, make_scheme, make_unit, make_user
        from kaohe.schemes.models import Subject
        from kaohe.schemes.services import subject_enrol

        self.scheme = demo
        self.users = dict(users)
        self.subject = Subject.objects.get(scheme=demo, unit__name="清丰县")
        self.other_subject = Subject.objects.get(scheme=demo, unit__name="南乐县")
        city = demo.owner_unit
        category = make_category("department", "市直部门")
        self.other_scheme = make_scheme("outsider-2020", categories=[category])
        other_city = self.other_scheme.owner_unit
        other_unit = make_unit("外市某局", parent=other_city, category=category)
        subject_enrol(scheme=self.other_scheme, unit=other_unit)
        self.users["outsider"] = make_user(
            "outsider", role=Role.OFFICE_ADMIN, unit=other_city, subtree=True
        )
        self.users["outsider_unit"] = make_user(
            "outsider_unit", role=Role.UNIT_USER, unit=other_unit
        )
        self.users["outsider_sys"] = make_user(
            "outsider_sys", role=Role.SYSTEM_ADMIN, unit=other_city, subtree=True
        )
        self.users["sysadm"] = make_user("sysadm", role=Role.SYSTEM_ADMIN, unit=city, subtree=True)
        self.users["secadm"] = make_user(
            "secadm", role=Role.SECURITY_ADMIN, unit=city, subtree=True
        )
        self.users["audadm"] = make_user("audadm", role=Role.AUDIT_ADMIN, unit=city, subtree=True)
        self.unit_users = {
            u.unit_id: name
            for name, u in self.users.items()
            if u.role_assignments.filter(role=Role.UNIT_USER).exists() and u.unit_id
        }
        self.problems: list[str] = []
        from kaohe.accounts.models import User

        # A user the system admin manages (not themself): the 清丰县 user.
        self.managed_user = User.objects.get(username="qingfeng")
        self.build_errors = run_builders(self)

    def session_of(self, username: str):
        from django.test import Client

        from kaohe.accounts.models import UserSession

        Client().force_login(self.users[username])
        return UserSession.objects.filter(user=self.users[username]).latest("pk").pk

    # -- objects -----------------------------------------------------------------------
    def object_for(self, model):
        from kaohe.accounts.models import RoleAssignment, User
        from kaohe.schemes.models import Component, Indicator, Scheme, Subject

        if model is Scheme:
            return self.scheme
        if model is Subject:
            return self.subject
        if model is Indicator:
            return self.scheme.indicators.filter(children__isnull=True).order_by("pk").first()
        if model is Component:
            return self.scheme.components.order_by("pk").first()
        if model is User:
            return self.managed_user
        if model is RoleAssignment:
            return self.managed_user.role_assignments.first()
        for obj in model._default_manager.order_by("pk")[:200]:
            scheme_id = owner_scheme_id(obj)
            if scheme_id in (None, self.scheme.pk):
                unit = owner_unit(obj)
                if unit is None or unit.pk in self.unit_users:
                    return obj
        return model._default_manager.order_by("pk").first()


# Builders create one object of each other app's kinds in the demo scheme (for 清丰县).
# Each runs on its own; an error is reported with the patterns it leaves uncovered.
BUILDERS: list[Callable] = []


def builder(fn):
    BUILDERS.append(fn)
    return fn


def run_builders(ctx) -> list[str]:
    from django.db import transaction

    errors = []
    for fn in BUILDERS:
        try:
            with transaction.atomic():
                fn(ctx)
        except Exception as exc:  # noqa: BLE001 - reported by the matrix test
            errors.append(f"builder {fn.__name__}: {type(exc).__name__}: {exc}")
    return errors


def resolve_targets(ctx) -> list[Target]:
    targets = []
    for route, name, _pattern in walk():
        if route.startswith(SKIP_PREFIXES):
            continue
        if "(?P<" in route or "^" in route:
            targets.append(Target(name, route, problem="regex pattern: add a ROUTES entry"))
            continue
        target = Target(name, route)
        override = ROUTES.get(name, Route())
        if override.skip:
            target.skip = override.skip
            targets.append(target)
            continue
        namespace = name.split(":")[0] if ":" in name else None
        values, missing_values, objects = {}, {}, []
        segments = route.split("/")
        for match in PARAM.finditer(route):
            kwarg, conv = match.group("name"), match.group("conv") or "str"
            if kwarg in override.kwargs:
                value = override.kwargs[kwarg](ctx)
                values[kwarg] = value
                missing_values[kwarg] = MISSING_PK if conv == "int" else value
                continue
            if conv in ("str", "slug", "path") and kwarg in STRING_KWARGS:
                values[kwarg] = missing_values[kwarg] = STRING_KWARGS[kwarg]
                continue
            model = None
            if kwarg in NAME_KWARGS:
                model = apps.get_model(NAME_KWARGS[kwarg])
            elif conv == "int":
                index = next(i for i, s in enumerate(segments) if match.group(0) in s)
                segment = segments[index - 1] if index else ""
                if kwarg not in ("pk", "id"):
                    segment = kwarg.rsplit("_", 1)[0] + "s"
                model = model_for_segment(segment, namespace)
            if model is None:
                target.problem = (
                    f"kwarg <{conv}:{kwarg}>: no fixture rule; add it to "
                    "tests/matrix.py (NAME_KWARGS / SEGMENT_MODELS / STRING_KWARGS / ROUTES)"
                )
                break
            obj = ctx.object_for(model)
            if obj is None:
                target.problem = (
                    f"kwarg <{conv}:{kwarg}> → {model._meta.label}: no object in the fixture data; "
                    "add a @builder in tests/matrix.py"
                )
                break
            objects.append(obj)
            values[kwarg] = obj.pk
            missing_values[kwarg] = MISSING_PK
        if not target.problem:
            target.url = _fill(route, values)
            if objects:
                target.missing_url = _fill(route, missing_values)
            target.objects = objects
            target.right = list(override.right) or _right_users(ctx, objects)
            target.wrong = list(override.wrong) or _wrong_users(ctx, objects)
        targets.append(target)
    return targets


def _fill(route: str, values: dict) -> str:
    return "/" + PARAM.sub(lambda m: str(values[m.group("name")]), route)


def _visited_by_team1(ctx, objects) -> bool:
    """team1's team visits ctx.subject only: it sees that unit's (and its subunits') things,
    not another unit's materials (the rule in accounts.access.team_covers_unit)."""
    units = [u for u in (owner_unit(o) for o in objects) if u is not None]
    return all(u.path.startswith(ctx.subject.unit.path) for u in units)


def _right_users(ctx, objects) -> list[str]:
    names = ["office"] + (["team1"] if _visited_by_team1(ctx, objects) else [])
    for obj in objects:
        unit = owner_unit(obj)
        if unit is not None and unit.pk in ctx.unit_users:
            names.append(ctx.unit_users[unit.pk])
    names += ["qingfeng", "sysadm", "secadm", "audadm", "admin"]
    return list(dict.fromkeys(names))


def _wrong_users(ctx, objects) -> list[str]:
    if not objects:
        return []
    names = ["outsider", "outsider_unit"]
    if not _visited_by_team1(ctx, objects):
        names.append("team1")
    units = {u.pk for u in (owner_unit(o) for o in objects) if u is not None}
    if units:
        for unit_id, name in ctx.unit_users.items():
            if unit_id not in units and not name.startswith("outsider"):
                names.append(name)
                break
    return names


# --- builders for the feature apps -----------------------------------------------------
# Import inside each builder: an app's API change breaks only its own builder.

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _upload(name="材料.pdf", data=PDF):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type="application/pdf")


def _stored(folder: str) -> str:
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    return default_storage.save(f"{folder}/matrix.pdf", ContentFile(PDF))


@builder
def tasks_and_files(ctx):
    from datetime import date, timedelta

    from kaohe.tasks import services
    from kaohe.tasks.models import Task

    services.tasks_generate(scheme=ctx.scheme, default_deadline=date(2030, 12, 31))
    sifaju = ctx.users["sifaju"]
    task = Task.objects.filter(scheme=ctx.scheme, unit=sifaju.unit).order_by("pk").first()
    services.material_upload(task=task, upload=_upload(), actor=sifaju)
    services.extension_request(
        task=task, actor=sifaju, reason="材料较多", requested_deadline=task.deadline + timedelta(10)
    )


@builder
def onsite_team_and_visit(ctx):
    from kaohe.onsite.services.teams import team_create, visit_assign

    team = team_create(scheme=ctx.scheme, name="矩阵考核组", leader=ctx.users["team1"])
    visit_assign(team=team, subjects=[ctx.subject])


@builder
def onsite_draw(ctx):
    from kaohe.onsite import populations
    from kaohe.onsite.services import draws

    draws.draw_prepare(
        subject=ctx.subject,
        title="抽取案卷",
        members=populations.from_text("甲\n乙\n丙"),
        rule={"count_min": 1},
    )


@builder
def onsite_checklists_and_sheets(ctx):
    from decimal import Decimal

    from kaohe.onsite.services.checklists import checklists_from_requirements
    from kaohe.onsite.services.reviews import case_sheet_save

    made = checklists_from_requirements(scheme=ctx.scheme)
    used = {c.indicator_id for c in made}
    from kaohe.onsite import marks

    leaf = (
        ctx.scheme.indicators.filter(
            children__isnull=True,
            component__code="onsite",
            method__in=marks.FRACTION_METHODS,
        )
        .exclude(pk__in=used)
        .order_by("pk")
        .first()
    )
    case_sheet_save(indicator=leaf, criteria=[("事实清楚", True, Decimal("10"))])


@builder
def onsite_deduction_and_evidence(ctx):
    from decimal import Decimal

    from kaohe.onsite.services.deductions import deduction_record, penalty_leaves

    leaf = penalty_leaves(ctx.scheme).first()
    deduction_record(
        subject=ctx.subject,
        indicator=leaf,
        points=Decimal("0.5"),
        reason="暗访发现问题",
        files=[_upload("照片.pdf")],
        actor=ctx.users["team1"],
    )


@builder
def publishing_objection(ctx):
    from kaohe.publishing.models import Objection, ObjectionFile

    objection = Objection.objects.create(
        scheme=ctx.scheme, subject=ctx.subject, text="对得分有异议"
    )
    ObjectionFile.objects.create(
        objection=objection,
        file=_stored("objections"),
        original_name="说明.pdf",
        content_type="application/pdf",
        size=len(PDF),
    )


@builder
def rectification_item(ctx):
    from datetime import date

    from kaohe.rectification.models import Evidence, RectificationItem

    item = RectificationItem.objects.create(
        scheme=ctx.scheme,
        subject=ctx.subject,
        source="office",
        title="整改执法案卷问题",
        deadline=date(2030, 6, 30),
    )
    Evidence.objects.create(
        item=item,
        file=_stored("rectification"),
        original_name="整改报告.pdf",
        content_type="application/pdf",
        size=len(PDF),
    )


@builder
def transfer_job_and_alias(ctx):
    from kaohe.transfer.models import ImportJob
    from kaohe.transfer.services import unit_alias_save

    city = ctx.scheme.owner_unit
    ImportJob.objects.create(
        kind="units",
        owner_unit=city,
        created_by=ctx.users["office"],
        file=_stored("imports"),
        filename="units.xlsx",
    )
    unit_alias_save(owner_unit=city, name="清丰", unit=ctx.subject.unit)


@builder
def publishing_generated_notice(ctx):
    """The office generates the notice file (a background run, at once in tests)."""
    from kaohe.background.services import enqueue
    from kaohe.publishing.background import NOTICE_REF, notice_generate_task
    from kaohe.publishing.notice_content import notice_prepare

    office = ctx.users["office"]
    notice = notice_prepare(scheme=ctx.scheme, actor=office)
    enqueue(notice_generate_task, notice.pk, ref=NOTICE_REF.format(notice.pk), requested_by=office)


@builder
def publishing_published_notice(ctx):
    from django.utils import timezone

    from kaohe.publishing.models import Notice

    notice, _ = Notice.objects.get_or_create(
        scheme=ctx.scheme,
        defaults={"issuing_office": "市法治办", "title": "考核结果通报", "addressees": "各县区"},
    )
    notice.published_file = _stored("notices")
    notice.published_at = timezone.now()
    notice.save()


@builder
def api_token(ctx):
    from kaohe.api.services import token_create

    token_create(user=ctx.users["qingfeng"], name="矩阵令牌", scope="read")


@builder
def exams_sittings(ctx):
    """An online sitting (open, one paper started with an answer), a paper one, an oral one."""
    from kaohe.exams.models import Exam
    from kaohe.exams.services import attempts, sittings
    from kaohe.onsite import populations
    from kaohe.onsite.presets import PRESETS_BY_CODE
    from kaohe.onsite.services import draws

    def done(preset, members):
        rule = PRESETS_BY_CODE[preset].rule
        draw = draws.draw_prepare(
            subject=ctx.subject, title=preset, members=members, rule=rule, preset=preset
        )
        draws.draw_announce_seed(draw=draw, seed="1")
        return draws.draw_execute(draw=draw)

    staff = done("staff", populations.from_people(ctx.subject.unit))
    written = Exam.objects.get(scheme=ctx.scheme, kind="written")
    online = sittings.sitting_create(exam=written, draw=staff, mode="online")
    sittings.sitting_draw_paper(sitting=online, seed="1")
    sittings.sitting_open(sitting=online)
    examinee = attempts.code_enter(code=online.examinees.first().code, client="matrix")
    attempts.answer_save(examinee=examinee, question_key=examinee.layout[0]["q"], response="A")
    paper = sittings.sitting_create(exam=written, draw=staff, mode="paper")
    sittings.sitting_draw_paper(sitting=paper, seed="2")
    leaders = done(
        "leaders",
        [
            {"key": n, "label": n, "stratum": s}
            for n, s in (("甲", "负责同志"), ("乙", "成员"), ("丙", "成员"))
        ],
    )
    oral = sittings.sitting_create(
        exam=Exam.objects.get(scheme=ctx.scheme, kind="oral"), draw=leaders, mode="oral"
    )
    sittings.sitting_draw_paper(sitting=oral, seed="3")


@builder
def surveys_answer_and_forum(ctx):
    from kaohe.surveys.models import ForumOpinion, ForumRecord, Question, Survey
    from kaohe.surveys.services.submissions import CleanAnswer, response_team_enter

    survey = Survey.objects.filter(scheme=ctx.scheme).order_by("pk").first()
    target = survey.targets.get(subject=ctx.subject)
    text = Question.objects.filter(questionnaire=survey.questionnaire, kind="text").first()
    answers = [
        CleanAnswer(q.pk, q.choices.order_by("pk").first().pk)
        for q in survey.questionnaire.questions.exclude(kind="text")
    ]
    response_team_enter(
        target=target,
        answers=[*answers, CleanAnswer(text.pk, None, "矩阵意见")],
        channel="paper",
        actor=ctx.users["office"],
    )
    forum = ForumRecord.objects.create(
        scheme=ctx.scheme, subject=ctx.subject, held_on="2021-01-27", place="县政府会议室"
    )
    ForumOpinion.objects.create(forum=forum, text="涉企检查较多")
