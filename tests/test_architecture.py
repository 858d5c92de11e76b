"""The house rules anyone can check (docs/architecture.md): apps are layers and imports point
down (import-linter's contract in .importlinter), no module over 400 lines, no function over 60
lines, ruff's complexity check (C901) clean at the project's threshold."""

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _sources():
    for path in sorted((ROOT / "kaohe").rglob("*.py")):
        parts = set(path.relative_to(ROOT).parts)
        if "migrations" in parts or "tests" in parts:
            continue
        yield path


def _tool(name: str) -> str:
    found = Path(sys.executable).with_name(name)
    return str(found) if found.exists() else (shutil.which(name) or name)


def test_imports_point_down_the_layers():
    result = subprocess.run(
        [_tool("lint-imports"), "--no-cache"], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]


def test_audit_actions_are_named_constants():
    """Every audit_record(action=…) names a constant of an app's audit_actions module, so a
    typo cannot invent an action that no report or filter knows."""
    import re

    literal = re.compile(r"audit_record\(\s*action=(f?[\"'])", re.S)
    offenders = [
        str(path.relative_to(ROOT))
        for path in _sources()
        if literal.search(path.read_text(encoding="utf-8"))
    ]
    assert not offenders, "use an audit_actions constant in: " + ", ".join(offenders)
