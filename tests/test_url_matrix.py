"""Every URL pattern: anonymous → login, outsider/other unit → 404, right user → 200.

The patterns come from the live URLconf, so a new view is checked the moment it is added;
one that cannot be filled from the fixture data fails here and says what to add to
tests/matrix.py.
"""

import pytest
from django.test import Client

from .matrix import PUBLIC, Ctx, resolve_targets

LOGIN = "/login/"
LEAK_MARKERS = ("清丰县", "南乐县", "2020年度依法行政考核")


class Clients:
    """One signed-in client per user, made on first use."""

    def __init__(self, ctx):
        self.ctx = ctx
        self.cache = {}

    def __getitem__(self, name):
        if name not in self.cache:
            client = Client(raise_request_exception=False)
            if name != "anonymous":
                client.force_login(self.ctx.users[name])
            self.cache[name] = client
        return self.cache[name]


def _is_login_redirect(response) -> bool:
    return response.status_code == 302 and response["Location"].startswith(LOGIN)


def _ok(response) -> bool:
    return response.status_code == 200 or (
        response.status_code == 302 and not _is_login_redirect(response)
    )


def check_target(target, clients) -> list[str]:
    """The problems of one pattern (empty when it passes)."""
    errors = []
    where = f"{target.name} ({target.url})"
    anonymous = clients["anonymous"]
    response = anonymous.get(target.url)
    post_only = False
    if response.status_code == 405:
        response = anonymous.post(target.url)
        post_only = True
    api_denied = target.url.startswith("/api/") and response.status_code in (401, 403)
    if target.name not in PUBLIC and not _is_login_redirect(response) and not api_denied:
        errors.append(f"{where}: anonymous got {response.status_code}, expected login")
    # Right user: the first candidate that gets 200 (a redirect that is not to login counts).
    statuses = {}
    chosen = None
    for name in target.right:
        response = clients[name].get(target.url)
        statuses[name] = response.status_code
        if response.status_code == 405:
            post_only = True
            continue
        if response.status_code >= 500:
            errors.append(f"{where}: {name} got {response.status_code}")
            break
        if _ok(response):
            chosen = name
            break
    if chosen is None and not post_only and not errors:
        errors.append(f"{where}: no right user got 200 ({statuses})")
    target.chosen = chosen
    target.post_only = post_only and chosen is None
    method = "post" if target.post_only else "get"
    for name in target.wrong:
        response = getattr(clients[name], method)(target.url)
        if response.status_code != 404:
            errors.append(
                f"{where}: wrong user {name} {method.upper()} got "
                f"{response.status_code}, expected 404"
            )
    if not target.objects and not post_only and target.name not in PUBLIC:
        # A list page seen by the other city must not show this city's data.
        for name in ("outsider", "outsider_unit"):
            response = clients[name].get(target.url)
            if response.status_code >= 500:
                errors.append(f"{where}: {name} got {response.status_code}")
                continue
            if response.status_code != 200 or getattr(response, "streaming", False):
                continue
            if "text/html" not in response.get("Content-Type", ""):
                continue
            body = response.content.decode(errors="replace")
            leaked = [m for m in LEAK_MARKERS if m in body]
            if leaked:
                errors.append(f"{where}: {name} (another city) sees {leaked}")
    if target.missing_url and (chosen or target.right):
        who = chosen or target.right[0]
        response = getattr(clients[who], method)(target.missing_url)
        if response.status_code != 404:
            errors.append(
                f"{where}: missing object as {who} got {response.status_code}, expected 404"
            )
    return errors


@pytest.fixture
def matrix(demo, demo_users, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    ctx = Ctx(demo, demo_users)
    return ctx, resolve_targets(ctx)


def test_every_url_pattern_checks_access(matrix):
    ctx, targets = matrix
    clients = Clients(ctx)
    problems = [f"fixture: {e}" for e in ctx.build_errors]
    checked = 0
    for target in targets:
        if target.skip:
            continue
        if target.problem:
            problems.append(f"{target.name} [{target.route}]: {target.problem}")
            continue
        problems.extend(check_target(target, clients))
        checked += 1
    print(f"URL matrix: {checked} patterns checked of {len(targets)}; {len(problems)} problems")
    assert not problems, "URL access matrix failures:\n" + "\n".join(problems)


def test_matrix_catches_unprotected_and_unknown_views(demo, demo_users, settings):
    settings.ROOT_URLCONF = "tests.urls_leaky"
    ctx = Ctx(demo, demo_users)
    targets = {t.name: t for t in resolve_targets(ctx)}
    assert "no fixture rule" in targets["mystery"].problem
    errors = check_target(targets["leaky"], Clients(ctx))
    text = "\n".join(errors)
    assert "anonymous got 200" in text and "wrong user outsider GET got 200" in text
    listing = "\n".join(check_target(targets["leaky_list"], Clients(ctx)))
    assert "outsider (another city) sees" in listing
