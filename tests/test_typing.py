"""The package type-checks: mypy (settings in pyproject.toml, [tool.mypy]) finds no errors."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_mypy_clean() -> None:
    out = subprocess.run([sys.executable, "-m", "mypy", "pipeline"], capture_output=True, text=True, cwd=ROOT)
    if out.returncode != 0:
        print(out.stdout)
        print(out.stderr, file=sys.stderr)
    assert out.returncode == 0, f"mypy found errors:\n{out.stdout}{out.stderr}"


def test_ruff_clean() -> None:
    """The code style the project holds itself to (settings in pyproject.toml, [tool.ruff])."""
    out = subprocess.run([sys.executable, "-m", "ruff", "check", "pipeline", "tests", "benchmarks", "schemas"],
                         capture_output=True, text=True, cwd=ROOT)
    assert out.returncode == 0, f"ruff found problems:\n{out.stdout}{out.stderr}"
