"""listcheck.catalog.json_format: JSON documents, element lines, and malformed JSON."""

from __future__ import annotations

from pathlib import Path

import pytest

from listcheck.catalog import iter_products
from listcheck.errors import CatalogError
from listcheck.findings import INPUT_INVALID_RECORD
from listcheck.model import Finding, Product, Source

FIXTURES = Path(__file__).parent / "fixtures" / "catalog"


def read(path, **options):
    return list(iter_products([path], **options))


def test_products_key_with_element_lines_and_dotted_keys():
    path = FIXTURES / "products.json"
    one, two, nan, inf = read(path)
    assert (one.sku, one.source) == ("JD-1", Source(path=str(path), line=3))
    assert (two.sku, two.source.line) == ("JD-2", 5)
    assert two.spec == {"battery_capacity": "10000 mAh"}
    assert two.return_policy.no_reason_days == 7
    # NaN / Infinity do not crash: an out-of-range NaN is an invalid value, a spec value is kept.
    assert isinstance(nan, Finding) and nan.rule == INPUT_INVALID_RECORD
    assert (nan.sku, nan.field, nan.source.line) == ("JD-3", "return_policy.restocking_fee_pct", 11)
    assert isinstance(inf, Product) and inf.spec["weight"] == float("inf")


def test_top_level_list_lines(tmp_path):
    path = tmp_path / "list.json"
    text = '[\n  {"sku": "L-1"},\n\n  {"sku": "L-2",\n   "title": "x"}, "oops"\n]\n'
    path.write_text(text, encoding="utf-8")
    first, second, oops = read(path)
    assert [first.source.line, second.source.line, oops.source.line] == [2, 4, 5]
    assert isinstance(oops, Finding) and oops.sku is None


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ('[\n {"sku": "A"},\n {"sku": "B"}\n {"sku": "C"}\n]', 4),
        ('[\n {"sku": "A"},\n]', 3),
        ('{"products": [\n {"sku": "A"}\n], "x": }', 3),
        ('[{"sku": "A"}]\n\n[]', 3),
        ('{\n"products"\n[]}', 3),
    ],
)
def test_malformed_json_names_the_line(tmp_path, text, line):
    path = tmp_path / "bad.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CatalogError, match="invalid JSON") as caught:
        read(path)
    assert (caught.value.path, caught.value.line) == (str(path), line)


def test_json_lines_in_a_json_file_gets_a_hint(tmp_path):
    path = tmp_path / "feed.json"
    path.write_text('{"sku": "A"}\n{"sku": "B"}\n', encoding="utf-8")
    with pytest.raises(CatalogError, match="name the file .jsonl") as caught:
        read(path)
    assert caught.value.line == 2


def test_a_scalar_document_is_not_a_catalog(tmp_path):
    path = tmp_path / "scalar.json"
    path.write_text('"hello"', encoding="utf-8")
    with pytest.raises(CatalogError, match="expected a list of products"):
        read(path)


def test_products_that_is_not_a_list(tmp_path):
    path = tmp_path / "p.json"
    path.write_text('{"products": {"sku": "A"}}', encoding="utf-8")
    with pytest.raises(CatalogError, match="'products' should be a list") as caught:
        read(path)
    assert caught.value.field == "products"


def test_deep_nesting_is_an_error_not_a_crash(tmp_path):
    path = tmp_path / "deep.json"
    deep = "[" * 100_000 + "]" * 100_000
    path.write_text('[{"sku": "D", "spec": ' + deep + "}]", encoding="utf-8")
    with pytest.raises(CatalogError, match="nested too deeply"):
        read(path)


def test_mapping_renames_top_level_keys(tmp_path):
    path = tmp_path / "m.json"
    path.write_text('[{"货号": "M-1", "品牌": "ACME", "spec": {"color": "red"}}]', encoding="utf-8")
    [product] = read(path, mapping={"货号": "sku", "品牌": "spec.brand"})
    assert product.sku == "M-1"
    assert product.spec == {"color": "red", "brand": "ACME"}


def test_a_key_mapped_onto_an_existing_field_is_a_record_finding(tmp_path):
    path = tmp_path / "m.json"
    path.write_text('[{"sku": "M-1", "货号": "M-2"}, {"sku": "M-3"}]', encoding="utf-8")
    conflict, fine = read(path, mapping={"货号": "sku"})
    assert isinstance(conflict, Finding)
    assert (conflict.rule, conflict.field, conflict.source.line) == (INPUT_INVALID_RECORD, "sku", 1)
    assert "货号" in conflict.message
    assert fine.sku == "M-3"
