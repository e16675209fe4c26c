"""The pre-commit hook checks only catalogs and honours the config's baseline.

pre-commit hands the hook every staged file its `files:` pattern matches: package.json, rule
packs, listcheck.yaml and the baseline arrive beside the catalogs. `check --only-catalogs` (the
hook's entry) keeps the catalogs: those the config's `catalogs:` globs name, else the files that
hold products. The last test runs the real hook with pre-commit in a temporary git repository.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, run_cli

HOUSE_PACK = """\
pack: house
title: House rules
rules:
  - id: house/no-cheapest
    kind: terms
    category: prohibited-claim
    severity: error
    terms: [cheapest]
    message: {en: "'{match}' is not a claim we make", zh: "不得使用“{match}”"}
    examples: {invalid: [{title: the cheapest towel}], valid: [{title: a cotton towel}]}
"""


def towel(sku: str, title: str) -> dict:
    return {"sku": sku, "title": title, "description": "A soft cotton towel for the bathroom.",
            "category": "home/textiles"}


def write_repo(root: Path, config: str) -> None:
    """A shop's repository: other tools' files, a rule pack, a config, catalogs."""
    (root / "catalog").mkdir(parents=True)
    (root / "package.json").write_text('{"name": "shop", "version": "1.0.0", "private": true}\n', encoding="utf-8")
    (root / "cspell.json").write_text('["towel", "cheapest"]\n', encoding="utf-8")  # a list, of words
    (root / "docker-compose.yml").write_text("services:\n  web: {image: nginx}\n", encoding="utf-8")
    (root / "house.yaml").write_text(HOUSE_PACK, encoding="utf-8")
    (root / "listcheck.yaml").write_text(config, encoding="utf-8")
    (root / "catalog" / "towels.jsonl").write_text(
        json.dumps(towel("T1", "The cheapest towel, 70 x 140 cm")) + "\n", encoding="utf-8")
    (root / "catalog" / "more.yaml").write_text(
        yaml.safe_dump({"products": [towel("Y1", "The cheapest bath towel, 70 x 140 cm")]}), encoding="utf-8")
    (root / "drafts").mkdir()
    (root / "drafts" / "next.json").write_text(
        json.dumps([towel("D1", "The cheapest draft towel, 50 x 100 cm")]), encoding="utf-8")


EVERY_FILE = ["package.json", "cspell.json", "docker-compose.yml", "house.yaml", "listcheck.yaml",
              "catalog/towels.jsonl", "catalog/more.yaml", "drafts/next.json"]


def checked(result) -> dict[str, set[str]]:
    """{catalog path: skus with a house/no-cheapest finding} of a JSON report."""
    files: dict[str, set[str]] = {}
    for finding in json.loads(result.stdout)["findings"]:
        assert finding["rule"] != "input/invalid-record", finding  # no other tool's file was read
        if finding["rule"] == "house/no-cheapest":
            files.setdefault(finding["source"]["path"], set()).add(finding["sku"])
    return files


def test_without_catalogs_globs_the_files_that_hold_products_are_checked(tmp_path):
    write_repo(tmp_path, "rules: [house.yaml]\n")
    result = run_cli("check", "--only-catalogs", "--format", "json", *EVERY_FILE, cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    assert checked(result) == {"catalog/towels.jsonl": {"T1"}, "catalog/more.yaml": {"Y1"},
                               "drafts/next.json": {"D1"}}


def test_catalogs_globs_name_the_catalogs(tmp_path):
    write_repo(tmp_path, "rules: [house.yaml]\ncatalogs: ['catalog/**/*.jsonl', 'catalog/*.yaml']\n")
    result = run_cli("check", "--only-catalogs", "--format", "json", *EVERY_FILE, cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    # drafts/next.json holds products, and is not one of the config's catalogs.
    assert checked(result) == {"catalog/towels.jsonl": {"T1"}, "catalog/more.yaml": {"Y1"}}


def test_no_catalog_among_the_files_is_a_quiet_pass(tmp_path):
    write_repo(tmp_path, "rules: [house.yaml]\n")
    result = run_cli("check", "--only-catalogs", "package.json", "cspell.json", "house.yaml", "listcheck.yaml",
                     cwd=tmp_path)
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


def test_the_configs_baseline_applies_to_check(tmp_path):
    write_repo(tmp_path, "rules: [house.yaml]\nbaseline: listcheck-baseline.json\n")
    created = run_cli("baseline", "create", "catalog", "-o", "listcheck-baseline.json", cwd=tmp_path)
    assert created.returncode == 0, created.stderr
    result = run_cli("check", "--only-catalogs", "--format", "json", *EVERY_FILE, "listcheck-baseline.json",
                     cwd=tmp_path)
    report = json.loads(result.stdout)
    by_sku = {f["sku"]: f["baselined"] for f in report["findings"] if f["rule"] == "house/no-cheapest"}
    assert by_sku == {"T1": True, "Y1": True, "D1": False}  # drafts/ was not in the baseline
    assert result.returncode == 1
    # --baseline still wins over the config's.
    (tmp_path / "empty-baseline.json").write_text(
        (tmp_path / "listcheck-baseline.json").read_text(encoding="utf-8"), encoding="utf-8")
    assert run_cli("check", "catalog", "--baseline", "empty-baseline.json", cwd=tmp_path).returncode == 0


@pytest.mark.parametrize("config, error", [
    ("catalogs: ['/srv/catalog/*.csv']\n",
     "listcheck.yaml:1: catalogs.0: catalogs globs are relative to listcheck.yaml and stay under its folder, not '/srv/catalog/*.csv'"),
    ("catalogs: ['../elsewhere/*.csv']\n",
     "listcheck.yaml:1: catalogs.0: catalogs globs are relative to listcheck.yaml and stay under its folder, not '../elsewhere/*.csv'"),
    ("catalogs: {a: b}\n", "listcheck.yaml:1: catalogs: Input should be a valid list"),
    ("baseline: ''\n",
     "listcheck.yaml:1: baseline: baseline is the path of a baseline file (listcheck baseline create), not empty"),
    ("baseline: [a.json]\n", "listcheck.yaml:1: baseline: Input should be a valid string"),
    ("baseline: missing.json\n", "missing.json: baseline file not found"),
])
def test_bad_catalogs_and_baseline_keys_are_one_line_naming_the_config(tmp_path, config, error):
    write_repo(tmp_path, config)
    result = run_cli("check", "--only-catalogs", *EVERY_FILE, cwd=tmp_path)
    assert result.returncode == 2
    (line,) = result.stderr.splitlines()
    assert line.startswith("listcheck: error: ") and line.endswith(error), line


def git(*args: str, cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, timeout=600,
                          env={**os.environ, **(env or {})})


def snapshot_of_this_worktree(target: Path) -> str:
    """This worktree as it is now (uncommitted and new files too, not what .gitignore leaves out)
    as a one-commit repository: pre-commit installs a hook from a committed rev."""
    listed = git("ls-files", "-z", "--cached", "--others", "--exclude-standard", cwd=ROOT)
    for name in filter(None, listed.stdout.split("\0")):
        source = ROOT / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    for args in (("init", "-q"), ("add", "-A"), ("commit", "-q", "-m", "snapshot")):
        assert git(*args, cwd=target, env=IDENTITY).returncode == 0
    return git("rev-parse", "HEAD", cwd=target).stdout.strip()


IDENTITY = {"GIT_AUTHOR_NAME": "test", "GIT_AUTHOR_EMAIL": "test@example.com",
            "GIT_COMMITTER_NAME": "test", "GIT_COMMITTER_EMAIL": "test@example.com"}


@pytest.mark.skipif(shutil.which("git") is None, reason="pre-commit needs git")
def test_the_hook_runs_in_pre_commit_with_package_json_a_pack_and_a_baseline(tmp_path):
    """`git commit` with the hook installed. pre-commit builds the hook's environment once by
    pip-installing this repository (offline, from the machine's package index): about 20 s."""
    pytest.importorskip("pre_commit", reason="pre-commit is in the test extra")
    hook_repo, shop = tmp_path / "listcheck", tmp_path / "shop"
    hook_repo.mkdir()
    shop.mkdir()
    rev = snapshot_of_this_worktree(hook_repo)
    env = {**IDENTITY, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"), "PRE_COMMIT_COLOR": "never"}
    write_repo(shop, "rules: [house.yaml]\nbaseline: listcheck-baseline.json\n")
    (shop / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {hook_repo}\n    rev: {rev}\n    hooks: [{{id: listcheck, verbose: true}}]\n",
        encoding="utf-8")
    assert git("init", "-q", cwd=shop).returncode == 0
    installed = subprocess.run([sys.executable, "-m", "pre_commit", "install"], cwd=shop, env={**os.environ, **env},
                               capture_output=True, text=True, timeout=60)
    assert installed.returncode == 0, installed.stdout + installed.stderr
    assert run_cli("baseline", "create", "catalog", "drafts", "-o", "listcheck-baseline.json",
                   cwd=shop).returncode == 0

    # package.json, a pack, the config, the baseline and catalogs whose findings it accepts.
    # (Before --only-catalogs, package.json was read as a catalog: exit 2, "no 'products'".)
    git("add", ".", cwd=shop)
    started = time.monotonic()
    first = git("commit", "-m", "catalog, pack, baseline", cwd=shop, env=env)
    print(f"first commit, building the hook's environment: {time.monotonic() - started:.1f} s")
    assert first.returncode == 0, first.stdout + first.stderr
    assert "listcheck" in first.stdout + first.stderr and "Passed" in first.stdout + first.stderr
    assert "3 baselined" in first.stdout + first.stderr

    # A new listing with a finding the baseline does not accept: the hook exits 1, no commit.
    with open(shop / "catalog" / "towels.jsonl", "a", encoding="utf-8") as catalog:
        catalog.write(json.dumps(towel("T2", "The cheapest towel ever, 50 x 100 cm")) + "\n")
    git("add", "catalog/towels.jsonl", cwd=shop)
    second = git("commit", "-m", "a new towel", cwd=shop, env=env)
    output = second.stdout + second.stderr
    assert second.returncode != 0, output
    assert "exit code: 1" in output and "house/no-cheapest" in output
    assert "catalog/towels.jsonl:2" in output and "T2" in output
    assert git("rev-list", "--count", "HEAD", cwd=shop).stdout.strip() == "1"

    # Only other files staged: the hook runs on them and passes, checking nothing.
    git("reset", "-q", cwd=shop)
    (shop / "package.json").write_text('{"name": "shop", "version": "1.0.1", "private": true}\n', encoding="utf-8")
    (shop / "house.yaml").write_text(HOUSE_PACK.replace("[cheapest]", "[cheapest, lowest price]"), encoding="utf-8")
    git("add", "package.json", "house.yaml", cwd=shop)
    third = git("commit", "-m", "a new term", cwd=shop, env=env)
    assert third.returncode == 0, third.stdout + third.stderr
    assert "Passed" in third.stdout + third.stderr
    print(f"whole test: {time.monotonic() - started:.1f} s")
