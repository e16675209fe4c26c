"""listcheck.catalog: discovering files and streaming products across a whole run."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from listcheck.catalog import CATALOG_SUFFIXES, discover, iter_products
from listcheck.errors import CatalogError
from listcheck.findings import INPUT_DUPLICATE_SKU, INPUT_EMPTY_FILE
from listcheck.limits import Limits
from listcheck.model import Category, Finding, Product, Severity, Source

FIXTURES = Path(__file__).parent / "fixtures" / "catalog"
TREE = FIXTURES / "tree"


def split(items):
    items = list(items)
    return (
        [item for item in items if isinstance(item, Product)],
        [item for item in items if isinstance(item, Finding)],
    )


def test_suffixes():
    assert CATALOG_SUFFIXES == (".yaml", ".yml", ".json", ".jsonl", ".ndjson", ".csv", ".xlsx")


def test_discover_walks_a_folder_sorted_and_skips_hidden_and_own_files():
    found = discover([TREE])
    assert [path.relative_to(TREE).as_posix() for path in found] == [
        "a.yaml",
        "sub/b.jsonl",
        "sub/deeper/c.csv",
        "sub/pack.yaml",
        "z.json",
    ]
    # Paths stay as given (relative stays relative), joined onto the folder the user named.
    assert all(str(path).startswith(str(TREE)) for path in found)


def test_discover_keeps_relative_paths_relative(monkeypatch):
    monkeypatch.chdir(FIXTURES)
    assert discover(["tree/sub/deeper"]) == [Path("tree/sub/deeper/c.csv")]
    products, _ = split(iter_products(["tree/sub/deeper"]))
    assert products[0].source == Source(path=os.path.join("tree", "sub", "deeper", "c.csv"), line=2)


def test_discover_takes_a_named_file_as_is_even_if_it_is_a_config(tmp_path):
    config = tmp_path / "listcheck.yaml"
    config.write_text("rules: {}\n", encoding="utf-8")
    assert discover([config]) == [config]


def test_discover_reads_each_file_once_in_the_order_given():
    found = discover([TREE / "z.json", TREE, TREE / "a.yaml"])
    assert found[0] == TREE / "z.json"
    assert len(found) == len(set(found)) == 5


def test_discover_skips_excel_lock_files_and_unknown_suffixes(tmp_path):
    (tmp_path / "~$book.xlsx").write_bytes(b"\x00lock")
    (tmp_path / "readme.md").write_text("hi", encoding="utf-8")
    (tmp_path / "UPPER.CSV").write_text("sku\nU-1\n", encoding="utf-8")
    assert discover([tmp_path]) == [tmp_path / "UPPER.CSV"]


def test_discover_missing_path_is_an_error(tmp_path):
    missing = tmp_path / "nope.yaml"
    with pytest.raises(CatalogError) as caught:
        discover([missing])
    assert caught.value.path == str(missing)
    assert "no such file" in str(caught.value)


def test_discover_unknown_suffix_of_a_named_file_is_an_error():
    with pytest.raises(CatalogError, match="unknown catalog format") as caught:
        discover([TREE / "notes.txt"])
    assert caught.value.path == str(TREE / "notes.txt")


def test_folder_walk_skips_rule_packs_and_configs_silently():
    products, findings = split(iter_products([TREE]))
    assert findings == []
    assert [p.sku for p in products] == ["TREE-A", "TREE-B1", "TREE-B2", "TREE-C", "TREE-Z"]
    where = [(Path(p.source.path).relative_to(TREE).as_posix(), p.source.line) for p in products]
    assert where == [
        ("a.yaml", 1),
        ("sub/b.jsonl", 1),
        ("sub/b.jsonl", 2),
        ("sub/deeper/c.csv", 2),
        ("z.json", 1),
    ]


def test_a_rule_pack_named_explicitly_is_an_error():
    with pytest.raises(CatalogError, match="rule pack or a config") as caught:
        list(iter_products([TREE / "sub" / "pack.yaml"]))
    assert caught.value.path == str(TREE / "sub" / "pack.yaml")


def test_a_mapping_without_products_in_a_folder_is_an_error(tmp_path):
    (tmp_path / "odd.yaml").write_text("title: not a catalog\n", encoding="utf-8")
    with pytest.raises(CatalogError, match="no 'products'"):
        list(iter_products([tmp_path]))


def test_duplicate_sku_across_files_names_the_first(tmp_path):
    (tmp_path / "a.yaml").write_text("- sku: X-1\n- sku: X-2\n", encoding="utf-8")
    (tmp_path / "b.csv").write_text("sku,title\nX-3,ok\nX-1,again\n", encoding="utf-8")
    products, findings = split(iter_products([tmp_path]))
    assert [p.sku for p in products] == ["X-1", "X-2", "X-3"]
    [duplicate] = findings
    assert duplicate.rule == INPUT_DUPLICATE_SKU
    assert duplicate.category is Category.input
    assert duplicate.severity is Severity.error
    assert duplicate.sku == "X-1"
    assert duplicate.field == "sku"
    assert duplicate.source == Source(path=str(tmp_path / "b.csv"), line=3)
    assert f"{tmp_path / 'a.yaml'}:1" in duplicate.message
    assert f"{tmp_path / 'a.yaml'}:1" in duplicate.messages["zh"]


def test_numeric_and_text_skus_are_the_same_sku(tmp_path):
    (tmp_path / "a.yaml").write_text("- sku: 1001\n- sku: '1001'\n", encoding="utf-8")
    products, findings = split(iter_products([tmp_path / "a.yaml"]))
    assert [p.sku for p in products] == ["1001"]
    assert [f.rule for f in findings] == [INPUT_DUPLICATE_SKU]


def test_an_empty_file_gives_one_warning_and_the_run_goes_on(tmp_path):
    (tmp_path / "a.jsonl").write_text("\n\n", encoding="utf-8")
    (tmp_path / "b.yaml").write_text("# nothing yet\n", encoding="utf-8")
    (tmp_path / "c.csv").write_text("sku,title\n", encoding="utf-8")
    (tmp_path / "d.json").write_text('{"products": []}', encoding="utf-8")
    (tmp_path / "e.yaml").write_text("- sku: E-1\n", encoding="utf-8")
    products, findings = split(iter_products([tmp_path]))
    assert [p.sku for p in products] == ["E-1"]
    assert [(f.rule, f.severity, f.sku, f.source.path) for f in findings] == [
        (INPUT_EMPTY_FILE, Severity.warning, None, str(tmp_path / name))
        for name in ("a.jsonl", "b.yaml", "c.csv", "d.json")
    ]


def test_a_file_over_the_size_limit_is_refused(tmp_path):
    catalog = tmp_path / "big.jsonl"
    catalog.write_text('{"sku": "B-1"}\n' * 10, encoding="utf-8")
    with pytest.raises(CatalogError, match="max_file_bytes") as caught:
        list(iter_products([catalog], limits=Limits(max_file_bytes=50)))
    assert caught.value.path == str(catalog)


def test_products_are_streamed_not_loaded_first(tmp_path):
    good = tmp_path / "a.jsonl"
    good.write_text('{"sku": "S-1"}\n', encoding="utf-8")
    broken = tmp_path / "b.json"
    broken.write_text("[{", encoding="utf-8")
    stream = iter_products([tmp_path])
    assert next(stream).sku == "S-1"
    with pytest.raises(CatalogError):
        next(stream)


def test_mapping_applies_to_every_format(tmp_path):
    (tmp_path / "a.yaml").write_text("- 编码: M-1\n  净含量: 500 g\n", encoding="utf-8")
    (tmp_path / "b.jsonl").write_text('{"编码": "M-2", "净含量": "1 kg"}\n', encoding="utf-8")
    (tmp_path / "c.csv").write_text("编码,净含量\nM-3,2 kg\n", encoding="utf-8")
    mapping = {"编码": "sku", "净含量": "spec.net_content"}
    products, findings = split(iter_products([tmp_path], mapping=mapping))
    assert findings == []
    assert [(p.sku, p.spec) for p in products] == [
        ("M-1", {"net_content": "500 g"}),
        ("M-2", {"net_content": "1 kg"}),
        ("M-3", {"net_content": "2 kg"}),
    ]

