"""Shared helpers: run the real CLI, load rule packs from YAML text written to tmp_path."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from listcheck.cli import app

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
SHARED = ROOT.parent / "shared"


@pytest.fixture
def cli():
    """Invoke the CLI in-process: cli("check", "x.yaml") -> Result (exit_code, stdout, stderr)."""
    runner = CliRunner()

    def invoke(*args: str, cwd: Path | None = None):
        old = Path.cwd()
        if cwd is not None:
            os.chdir(cwd)
        try:
            return runner.invoke(app, [str(a) for a in args])
        finally:
            os.chdir(old)

    return invoke


def run_cli(*args: str, cwd: Path | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    """The CLI as a user runs it: a real process, real stdout/stderr and exit code."""
    full_env = {**os.environ, **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "listcheck.cli", *map(str, args)],
        cwd=cwd or ROOT, env=full_env, capture_output=True, text=True, timeout=120,
    )
