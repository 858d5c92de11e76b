"""The house rules anyone can check (docs/architecture.md): apps are layers and imports point
down (import-linter's contract in .importlinter), no module over 400 lines, no function over 60
lines, ruff's complexity check (C901) clean at the project's threshold."""

import ast
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60


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


def test_no_module_over_400_lines():
    big = [
        f"{path.relative_to(ROOT)} ({n} lines)"
        for path in _sources()
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES
    ]
    assert not big, "split into a package by topic: " + ", ".join(big)


def test_no_function_over_60_lines():
    long = []
    for path in _sources():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                lines = node.end_lineno - node.lineno + 1
                if lines > MAX_FUNCTION_LINES:
                    long.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.name} ({lines})")
    assert not long, "split these functions: " + ", ".join(long)


def test_complexity_within_threshold():
    result = subprocess.run(
        [_tool("ruff"), "check", "--select", "C901", "kaohe"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout[-3000:]


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
