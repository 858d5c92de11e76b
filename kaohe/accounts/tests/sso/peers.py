"""Start peer_site.py (a real OpenID Connect provider or CAS server) on a loopback port and
walk a browser's part of the sign-in with `requests`."""

import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urljoin

import pytest

SITE = Path(__file__).resolve().parent / "peer_site.py"
RP_BASE = "http://testserver"  # the Django test client's host: kaohe, the relying party
USERS = [
    ["lisi", "李四", "Idp-pass-2020"],
    ["office1", "考核办 王五", "Idp-pass-2020"],
    ["sysadm", "系统管理员", "Idp-pass-2020"],
]


def free_port() -> int:
    """A loopback port nobody listens on now (fixed ports clash when two suites run at once)."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start(kind: str, port: int, workdir: Path, **env) -> subprocess.Popen:
    module = {"oidc": "oidc_provider", "cas": "cas_server"}[kind]
    try:
        __import__(module)
    except ImportError:
        pytest.skip(f"{kind} 测试已跳过：未安装 {module}（pip install -r requirements/dev.txt）。")
    process = subprocess.Popen(
        [sys.executable, str(SITE), kind, str(port), str(workdir), RP_BASE],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "PEER_USERS": json.dumps(USERS), **env},
        cwd=workdir,
    )
    deadline = time.monotonic() + 60
    line = "-"
    while line and "ready" not in line and time.monotonic() < deadline:
        line = process.stdout.readline().decode()  # setup commands may print first
    if "ready" not in line:
        process.kill()
        raise RuntimeError(f"{kind} peer did not start: {process.stderr.read().decode()[-3000:]}")
    return process


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()


def browser():
    """The browser's side at the IdP: a cookie jar kept across sign-in and sign-out."""
    import requests

    return requests.Session()


def sign_in_at_idp(start_url: str, username: str, password: str, session=None) -> str:
    """Follow the IdP's redirects, fill its login form, return the URL it sends back to kaohe."""
    session = session or browser()
    url = start_url
    for _ in range(10):
        if url.startswith(RP_BASE):
            return url
        response = session.get(url, allow_redirects=False, timeout=10)
        if response.is_redirect:
            url = urljoin(url, response.headers["Location"])
            continue
        form = _form_fields(response.text)
        form.update({"username": username, "password": password})
        response = session.post(url, data=form, allow_redirects=False, timeout=10)
        if not response.is_redirect:
            raise AssertionError(f"IdP refused the sign-in ({response.status_code})")
        url = urljoin(url, response.headers["Location"])
    raise AssertionError("too many redirects at the IdP")


def _form_fields(html: str) -> dict:
    """The hidden inputs of the IdP's login form (CSRF token, CAS login ticket, next…)."""
    fields = {}
    for tag in re.findall(r"<input[^>]*>", html):
        name = re.search(r'name="([^"]+)"', tag)
        value = re.search(r'value="([^"]*)"', tag)
        if name and 'type="hidden"' in tag:
            fields[name.group(1)] = value.group(1).replace("&amp;", "&") if value else ""
    return fields


def follow_at_idp(url: str, session) -> str:
    """Follow the IdP's redirects (e.g. its logout) until it sends the browser back to kaohe;
    returns that URL, or "" when the IdP shows a page instead."""
    for _ in range(10):
        if url.startswith(RP_BASE):
            return url
        response = session.get(url, allow_redirects=False, timeout=10)
        if not response.is_redirect:
            return ""
        url = urljoin(url, response.headers["Location"])
    raise AssertionError("too many redirects at the IdP")
