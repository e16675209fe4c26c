"""A check kind from another package, found through the `listcheck.checks` entry point group."""

from __future__ import annotations

import json

from conftest import ROOT, run_cli

PLUGIN_PATH = ROOT / "tests" / "fixtures" / "plugin"
PACK = ROOT / "tests" / "fixtures" / "shouting-pack.yaml"


def test_third_party_kind_runs_from_its_entry_point(tmp_path):
    catalog = tmp_path / "c.jsonl"
    catalog.write_text(
        json.dumps({"sku": "A", "title": "Bottle FREE SHIPPING", "category": "home"}) + "\n"
        + json.dumps({"sku": "B", "title": "Bottle 500 ml", "category": "home"}) + "\n",
        encoding="utf-8",
    )
    env = {"PYTHONPATH": str(PLUGIN_PATH)}
    tested = run_cli("rules", "test", PACK, env=env)
    assert tested.returncode == 0, tested.stdout + tested.stderr
    assert "1 rules, 3 examples: 3 passed, 0 failed" in tested.stdout

    result = run_cli("check", catalog, "--rules", PACK, "--format", "json", "--fail-on", "warning", env=env, cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    findings = json.loads(result.stdout)["findings"]
    assert [(f["rule"], f["sku"], f["match"]) for f in findings] == [
        ("shout/no-caps", "A", "FREE"),
        ("shout/no-caps", "A", "SHIPPING"),
    ]


def test_without_the_plugin_the_kind_is_unknown(tmp_path):
    result = run_cli("rules", "test", PACK, cwd=tmp_path)
    assert result.returncode == 2
    assert "unknown kind 'shouting'" in result.stderr
