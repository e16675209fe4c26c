"""The rule catalogue in docs/rules.md is generated from the packs; a stale copy fails here."""

from __future__ import annotations

from conftest import ROOT, run_cli


def test_docs_rules_md_is_up_to_date():
    result = run_cli("rules", "list", "--format", "markdown")
    assert result.returncode == 0, result.stderr
    committed = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    assert committed == result.stdout, (
        "docs/rules.md is stale: run `listcheck rules list --format markdown > docs/rules.md`"
    )


def test_every_builtin_rule_is_in_the_catalogue():
    listed = run_cli("rules", "list", "--format", "json")
    import json

    ids = {rule["id"] for rule in json.loads(listed.stdout)}
    committed = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    assert ids and all(f"`{rule_id}`" in committed for rule_id in ids)
