"""The API access matrix: every operation of the OpenAPI schema, filled from the demo (the
same Ctx as the page matrix), checked for anonymous → 401, read token on a write → 403,
other city / other unit → 404, missing object → 404, right user → 2xx.

Path parameters are filled by name (PARAMS); a new parameter name fails the suite with a
message saying what to add here. Writes carry a valid body (BODIES) so the right user's
call really succeeds through the service.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from .matrix import MISSING_PK


def _task(ctx):
    from kaohe.tasks.models import Task

    return Task.objects.filter(scheme=ctx.scheme, unit__name="市司法局").order_by("pk").first()


def _draw(ctx):
    return ctx.subject.draws.order_by("pk").first()


def _sitting(ctx):
    from kaohe.exams.models import Sitting

    return Sitting.objects.filter(subject=ctx.subject, mode="paper").order_by("pk").first()


def _survey(ctx):
    from kaohe.surveys.models import Survey

    return Survey.objects.filter(scheme=ctx.scheme).order_by("pk").first()


def _leaf(ctx):
    return (
        ctx.scheme.indicators.filter(
            children__isnull=True, method="entered", applies_to__isnull=True
        )
        .order_by("pk")
        .first()
    )


# parameter name → (object for the URL, the unit user whose unit owns it or None)
PARAMS: dict[str, Callable] = {
    "scheme_id": lambda ctx: (ctx.scheme, None),
    "subject_id": lambda ctx: (ctx.subject, "qingfeng"),
    "indicator_id": lambda ctx: (_leaf(ctx), None),
    "unit_id": lambda ctx: (ctx.subject.unit, "qingfeng"),
    "task_id": lambda ctx: (_task(ctx), "sifaju"),
    "draw_id": lambda ctx: (_draw(ctx), "qingfeng"),
    # A test sitting of 清丰县: its office and visiting team read it; no unit user does.
    "sitting_id": lambda ctx: (_sitting(ctx), "qingfeng"),
    # A satisfaction survey: the scheme's office only (as the report pages).
    "survey_id": lambda ctx: (_survey(ctx), None),
}
# A unit user who must not see another unit's object (404).
OTHER_UNIT = {"qingfeng": "sifaju", "sifaju": "qingfeng"}


def _bulk_body(ctx) -> dict:
    return {"rows": [{"subject_id": ctx.subject.pk, "indicator_id": _leaf(ctx).pk, "value": "0"}]}


# (method, path) → request kwargs for the Django test client
BODIES: dict[tuple[str, str], Callable] = {
    ("put", "/api/v1/subjects/{subject_id}/scores/{indicator_id}"): lambda ctx: {
        "data": {"value": "0", "note": "矩阵"},
        "content_type": "application/json",
    },
    ("post", "/api/v1/schemes/{scheme_id}/scores/bulk"): lambda ctx: {
        "data": _bulk_body(ctx),
        "content_type": "application/json",
    },
    ("post", "/api/v1/tasks/{task_id}/files"): lambda ctx: {"data": {"file": _pdf()}},
}
# Operations whose right user is not the office (e.g. only the responsible unit uploads).
RIGHT = {
    ("post", "/api/v1/tasks/{task_id}/files"): "sifaju",
    ("get", "/api/v1/audit/events"): "audadm",  # 三员: the audit admin only (others 403)
}
# Reads answered 404 until an object exists (e.g. a score the right user has not entered).
NEEDS = {
    ("get", "/api/v1/subjects/{subject_id}/scores/{indicator_id}"): "score",
}


def _pdf():
    from django.core.files.uploadedfile import SimpleUploadedFile

    from .matrix import PDF

    return SimpleUploadedFile("材料.pdf", PDF, content_type="application/pdf")


@dataclass
class ApiTarget:
    method: str
    path: str
    url: str = ""
    missing_url: str = ""
    owners: list[str] = field(default_factory=list)
    write: bool = False
    problem: str = ""


PARAM = re.compile(r"{([^}]+)}")


def api_targets(ctx) -> list[ApiTarget]:
    from kaohe.api.api import api

    targets = []
    for path, operations in api.get_openapi_schema()["paths"].items():
        for method in operations:
            target = ApiTarget(method, path, write=method in ("post", "put", "patch", "delete"))
            values, missing = {}, {}
            for name in PARAM.findall(path):
                if name not in PARAMS:
                    target.problem = f"path parameter {{{name}}}: add it to PARAMS in {__name__}"
                    break
                obj, owner = PARAMS[name](ctx)
                if obj is None:
                    target.problem = f"{{{name}}}: no object in the fixture data"
                    break
                values[name], missing[name] = obj.pk, MISSING_PK
                if owner:
                    target.owners.append(owner)
            if target.write and (method, path) not in BODIES:
                target.problem = f"write operation: add a valid body to BODIES in {__name__}"
            if not target.problem:
                target.url = _fill(path, values)
                if values:
                    target.missing_url = _fill(path, missing)
            targets.append(target)
    return targets


def _fill(path: str, values: dict) -> str:
    return PARAM.sub(lambda m: str(values[m.group(1)]), path)
