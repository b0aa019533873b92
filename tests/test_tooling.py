"""ruff, mypy and deptry are part of the test suite: a lint or type error, or an import
that pyproject.toml does not declare (or a declared dependency nothing imports), fails the
build; so does an installed environment that ``pip check`` finds inconsistent."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize(
    "cmd",
    [
        [sys.executable, "-m", "ruff", "check", "newscrawl", "tests", "benchmarks"],
        [sys.executable, "-m", "mypy"],
        # Declared = imported, for the newscrawl package: no missing (DEP001), unused
        # (DEP002), transitive (DEP003) or test-only (DEP004) imports. Config: pyproject.toml.
        [sys.executable, "-m", "deptry", "newscrawl"],
    ],
    ids=["ruff", "mypy", "deptry"],
)
def test_tool_is_clean(cmd):
    tool = cmd[2]
    if shutil.which(tool) is None and subprocess.run(
        [sys.executable, "-m", tool, "--version"], capture_output=True
    ).returncode != 0:
        pytest.fail(f"{tool} is not installed: install the test extras")
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_import_contracts_hold():
    """The layers written in pyproject.toml ([tool.importlinter]) hold: lint-imports."""
    lint_imports = Path(sys.executable).with_name("lint-imports")
    if not lint_imports.exists():
        pytest.fail("lint-imports is not installed: install the test extras")
    proc = subprocess.run([str(lint_imports)], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    # Every contract written ran and was kept (the layers and no-cycles ones included).
    contracts = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["tool"][
        "importlinter"]["contracts"]
    assert len(contracts) >= 4
    assert f"Contracts: {len(contracts)} kept, 0 broken." in proc.stdout



def test_installed_requirements_are_consistent():
    proc = subprocess.run([sys.executable, "-m", "pip", "check"], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "No broken requirements found" in proc.stdout
