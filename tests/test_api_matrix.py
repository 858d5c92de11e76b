"""Every REST API operation: anonymous → 401, read token on a write → 403, other city /
other unit → 404, missing object → 404, right user → 2xx (see api_matrix.py)."""

import pytest
from django.core.cache import cache
from django.test import Client

from kaohe.api.services import token_create

from .api_matrix import BODIES, NEEDS, OTHER_UNIT, RIGHT, api_targets
from .matrix import Ctx
from .test_url_matrix import LEAK_MARKERS


class Tokens:
    """A client per (user, scope), each with its own new token."""

    def __init__(self, ctx):
        self.ctx, self.cache = ctx, {}

    def __call__(self, name: str, scope: str = "write") -> Client:
        if name == "anonymous":
            return Client(raise_request_exception=False)
        if (name, scope) not in self.cache:
            _t, secret = token_create(
                user=self.ctx.users[name], name=f"matrix-{scope}", scope=scope
            )
            self.cache[name, scope] = Client(
                HTTP_AUTHORIZATION=f"Bearer {secret}", raise_request_exception=False
            )
        return self.cache[name, scope]


def _call(client, target, url, ctx):
    kwargs = BODIES[(target.method, target.path)](ctx) if target.write else {}
    return getattr(client, target.method)(url, **kwargs)


def check_api_target(target, tokens, ctx) -> list[str]:
    where = f"{target.method.upper()} {target.path}"
    errors = []
    status = _call(tokens("anonymous"), target, target.url, ctx).status_code
    if status != 401:
        errors.append(f"{where}: anonymous got {status}, expected 401")
    right = RIGHT.get((target.method, target.path), "office")
    if target.write:
        status = _call(tokens(right, "read"), target, target.url, ctx).status_code
        if status != 403:
            errors.append(f"{where}: read token of {right} got {status}, expected 403")
    response = _call(tokens(right), target, target.url, ctx)
    if not 200 <= response.status_code < 300:
        errors.append(
            f"{where}: right user {right} got {response.status_code} {response.content[:200]!r}"
        )
    # Objects named in the path: the other city and the other unit get 404 (lists: no leak).
    wrong = ["outsider", "outsider_unit"] if target.missing_url else []
    wrong += [OTHER_UNIT[o] for o in target.owners]
    for name in dict.fromkeys(wrong):
        status = _call(tokens(name), target, target.url, ctx).status_code
        if status != 404:
            errors.append(f"{where}: wrong user {name} got {status}, expected 404")
    if target.missing_url:
        status = _call(tokens(right), target, target.missing_url, ctx).status_code
        if status != 404:
            errors.append(f"{where}: missing object as {right} got {status}, expected 404")
    if not target.owners and not target.write:
        for name in ("outsider", "outsider_unit"):
            body = _call(tokens(name), target, target.url, ctx).content.decode()
            leaked = [m for m in LEAK_MARKERS if m in body]
            if leaked:
                errors.append(f"{where}: {name} (another city) sees {leaked}")
    return errors


@pytest.fixture
def ctx(demo, demo_users, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()
    return Ctx(demo, demo_users)


def test_every_api_operation_checks_access(ctx):
    tokens = Tokens(ctx)
    targets = api_targets(ctx)
    problems = [f"fixture: {e}" for e in ctx.build_errors]
    for target in targets:
        if target.problem:
            problems.append(f"{target.method.upper()} {target.path}: {target.problem}")
            continue
        problems.extend(check_api_target(target, tokens, ctx))
    print(f"API matrix: {len(targets)} operations; {len(problems)} problems")
    assert len(targets) >= 20
    assert not problems, "API access matrix failures:\n" + "\n".join(problems)


def test_api_matrix_names_a_new_parameter(ctx, monkeypatch):
    from . import api_matrix

    monkeypatch.delitem(api_matrix.PARAMS, "draw_id")
    monkeypatch.delitem(api_matrix.BODIES, ("post", "/api/v1/tasks/{task_id}/files"))
    problems = {f"{t.method} {t.path}": t.problem for t in api_targets(ctx)}
    assert "add it to PARAMS" in problems["get /api/v1/draws/{draw_id}"]
    assert "add a valid body" in problems["post /api/v1/tasks/{task_id}/files"]


def test_session_writes_need_csrf(ctx):
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    client.force_login(ctx.users["office"])
    target = next(t for t in api_targets(ctx) if t.method == "put")
    assert client.get(f"/api/v1/schemes/{ctx.scheme.pk}").status_code == 200
    refused = _call(client, target, target.url, ctx)
    assert refused.status_code == 403 and refused.json()["code"] == "csrf_failed"
    assert NEEDS  # documented reads that need an object first
