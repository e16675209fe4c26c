"""The built-in packs ship inside the wheel: every folder under rules/ is a listed package."""

from __future__ import annotations

import pytest

from conftest import ROOT

tomllib = pytest.importorskip("tomllib")  # Python 3.11+


def test_every_rules_folder_is_packaged():
    packages = set(tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])
    folders = {
        "listcheck.rules." + ".".join(p.relative_to(ROOT / "rules").parts)
        for p in (ROOT / "rules").rglob("*") if p.is_dir() and p.name != "__pycache__"
    }
    assert folders <= packages, f"add to pyproject.toml packages: {sorted(folders - packages)}"
    listed = {p for p in packages if p.startswith("listcheck.rules.")}
    assert listed <= folders, f"pyproject.toml lists folders that do not exist: {sorted(listed - folders)}"


def test_installed_package_finds_builtin_packs_and_vocab():
    from listcheck.ruleset.loader import builtin_packs, builtin_root

    assert {"core", "recommended"} <= set(builtin_packs())
    assert (builtin_root() / "vocab" / "markets.yaml").is_file()
