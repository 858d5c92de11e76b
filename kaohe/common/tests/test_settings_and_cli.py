"""Start-up guards and the `kaohe` command wrapper."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]


def _start(env_overrides: dict) -> subprocess.CompletedProcess:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "KAOHE_SERVING", "KAOHE_DEMO"}
        and not k.startswith("KAOHE_AUDIT_KEY")
    }
    env.update(env_overrides)
    code = "import django; django.setup(); print('started')"
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )


def test_serving_without_secret_key_stops_with_clear_message():
    result = _start({"DJANGO_SETTINGS_MODULE": "kaohe.settings", "KAOHE_SERVING": "1"})
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr and "生产环境必须设置" in result.stderr


def test_serving_without_allowed_hosts_stops_with_clear_message():
    result = _start(
        {"DJANGO_SETTINGS_MODULE": "kaohe.settings", "KAOHE_SERVING": "1", "SECRET_KEY": "x" * 60}
    )
    assert result.returncode != 0 and "ALLOWED_HOSTS" in result.stderr


def test_serving_without_audit_key_stops_with_clear_message():
    env = {"DJANGO_SETTINGS_MODULE": "kaohe.settings", "KAOHE_SERVING": "1"}
    env.update(SECRET_KEY="x" * 60, ALLOWED_HOSTS="kaohe.example.gov.cn")
    result = _start(env)
    assert result.returncode != 0 and "KAOHE_AUDIT_KEY" in result.stderr
    result = _start({**env, "KAOHE_AUDIT_KEY": "k" * 48})
    assert result.returncode == 0 and "started" in result.stdout


def test_development_starts_without_environment():
    result = _start({"DJANGO_SETTINGS_MODULE": "kaohe.settings", "DEBUG": "1"})
    assert result.returncode == 0 and "started" in result.stdout


@pytest.mark.django_db
def test_cli_maps_dashed_names_to_commands(capsys):
    from kaohe.cli import main

    main(["kaohe", "verify-audit"])
    assert "审计链完整" in capsys.readouterr().out


@pytest.mark.django_db
def test_demo_command_is_idempotent(capsys):
    from django.core.management import call_command

    from kaohe.schemes.models import Scheme

    call_command("demo")
    call_command("demo")
    out = capsys.readouterr().out
    assert "已存在" in out and "office" in out and "Kaohe@2020" in out
    assert Scheme.objects.filter(code="puyang-2020").count() == 1


@pytest.mark.django_db
def test_demo_command_refuses_outside_demo_and_development(settings):
    from django.core.management import CommandError, call_command

    settings.DEBUG, settings.DEMO, settings.TESTING = False, False, False
    with pytest.raises(CommandError, match="KAOHE_DEMO"):
        call_command("demo")


def test_demo_shows_its_own_404_page_even_with_debug(client, settings):
    """Issue 12 item 9: `make run` (DEBUG=1, KAOHE_DEMO=1) shows no list of URL patterns."""
    settings.DEBUG = True
    settings.KAOHE_DEBUG_TECHNICAL_404 = False
    response = client.get("/no-such-page/")
    body = response.content.decode()
    assert response.status_code == 404 and "页面不存在" in body and "URLconf" not in body
    settings.KAOHE_DEBUG_TECHNICAL_404 = True
    assert "URLconf" in client.get("/no-such-page/").content.decode()  # developers keep it
