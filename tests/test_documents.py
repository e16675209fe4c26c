"""ruleset/documents.py: built-in packs parsed when the wheel is built, used only while current."""

from __future__ import annotations

import shutil

import pytest

from conftest import ROOT
from listcheck.ruleset import documents, loader
from listcheck.ruleset.yaml_lines import load_yaml_with_lines


@pytest.fixture
def built_rules(tmp_path, monkeypatch):
    """A copy of rules/ with its table written, standing in for the installed listcheck.rules."""
    root = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", root, ignore=shutil.ignore_patterns("__pycache__", documents.TABLE_NAME))
    documents.write_table(root)
    monkeypatch.setattr(loader, "builtin_root", lambda: root)
    monkeypatch.setattr(documents, "builtin_root", lambda: root)
    loader.builtin_packs.cache_clear()
    loader._builtin_files.cache_clear()
    yield root
    loader.builtin_packs.cache_clear()
    loader._builtin_files.cache_clear()


def test_the_table_holds_what_the_yaml_parses_to(built_rules):
    files = sorted(built_rules.rglob("*.yaml"))
    assert len(files) > 20
    for path in files:
        assert documents.prebuilt(path) == load_yaml_with_lines(path, trusted=True), path


def test_each_lookup_is_a_fresh_copy(built_rules):
    path = built_rules / "core.yaml"
    first, _ = documents.prebuilt(path)
    first["rules"].clear()
    assert documents.prebuilt(path)[0]["rules"]


def test_an_edited_file_is_read_from_its_yaml(built_rules):
    path = built_rules / "core.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("title:", "title: Edited after the build #", 1), encoding="utf-8")
    assert documents.prebuilt(path) is None
    [pack] = loader.load_packs([str(path)])
    assert pack.spec.title.startswith("Edited after the build")


def test_a_file_the_table_does_not_know_is_read_from_its_yaml(built_rules):
    extra = built_rules / "claims" / "extra.yaml"
    shutil.copy(built_rules / "core.yaml", extra)
    assert documents.prebuilt(extra) is None


@pytest.mark.parametrize("damage", [b"", b"not marshal", b"\xe9\x00\x00"])
def test_a_damaged_table_is_ignored(built_rules, damage):
    (built_rules / documents.TABLE_NAME).write_bytes(damage)
    documents._table.cache_clear()
    try:
        assert documents.prebuilt(built_rules / "core.yaml") is None
        assert loader.load_packs(["recommended"])  # parsed from the YAML instead
    finally:
        documents._table.cache_clear()


def test_the_recommended_set_loads_the_same_from_the_table_and_from_yaml(built_rules, monkeypatch):
    def rules():
        loaded = loader.collect_rules(loader.load_packs(["recommended"]))
        return [(r.spec.model_dump(), r.params.model_dump(), r.path, r.line) for r in loaded]

    from_table = rules()
    monkeypatch.setattr(documents, "prebuilt", lambda path: None)
    assert rules() == from_table


def test_the_installed_package_ships_a_current_table():
    root = loader.builtin_root()
    if root.resolve() == (ROOT / "rules").resolve():
        pytest.skip("an editable install reads the packs from rules/ and has no table")
    files = sorted(root.rglob("*.yaml"))
    for path in files:
        assert documents.prebuilt(path) is not None, f"{path} is not in the installed table"


def test_an_edited_built_in_pack_with_a_bad_regex_stops_the_run_at_load_time(built_rules):
    # Only a pack read from the table (as shipped, checked by `rules validate`) leaves its
    # regexes to be compiled when first used; an edited one is checked like any other pack.
    from listcheck.errors import RulePackError

    path = built_rules / "claims" / "en-claims.yaml"
    text = path.read_text(encoding="utf-8")
    assert "matches: '" in text
    path.write_text(text.replace("matches: '", "matches: '([a-z]", 1), encoding="utf-8")
    with pytest.raises(RulePackError) as error:
        loader.load_packs(["en-claims"])
    assert "invalid regular expression" in str(error.value)
    assert str(error.value).startswith(f"{path}:")
