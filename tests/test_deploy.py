"""Production settings pass Django's deployment checklist with no warning."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run_check(**env):
    environment = {
        k: v for k, v in os.environ.items() if not k.startswith(("DEBUG", "KAOHE_", "DJANGO_"))
    }
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean():
    result = run_check(DEBUG="", SECRET_KEY="k" * 20 + "-Zq8" * 10, ALLOWED_HOSTS="example.gov.cn")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_http_only_intranet_is_reported_honestly():
    result = run_check(
        DEBUG="", SECRET_KEY="k" * 20 + "-Zq8" * 10, ALLOWED_HOSTS="example.gov.cn", KAOHE_HTTPS="0"
    )
    assert result.returncode != 0 and "security.W004" in (result.stdout + result.stderr)
