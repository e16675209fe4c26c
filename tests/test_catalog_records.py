"""listcheck.catalog.records: raw records into Products or input findings."""

from __future__ import annotations

import pytest

from listcheck.catalog.records import build, may_hold_surrogates, products_in, replace_surrogates, tame_record
from listcheck.errors import CatalogError
from listcheck.findings import INPUT_INVALID_RECORD
from listcheck.model import Category, Finding, Product, Severity, Source

SOURCE = Source(path="c.yaml", line=3)


def test_a_valid_record_gets_its_source():
    product = build({"sku": "A-1", "title": "Mug"}, SOURCE)
    assert isinstance(product, Product)
    assert product.source == SOURCE


@pytest.mark.parametrize(
    ("data", "sku", "field", "words"),
    [
        ({"title": "no sku"}, None, "sku", ["sku", "missing"]),
        ({"sku": "", "title": "x"}, None, "sku", ["sku", "empty"]),
        ({"sku": "A", "title": ["a", "b"]}, "A", "title", ["title", "text", "list"]),
        ({"sku": 7, "bullets": ["ok", 3]}, "7", "bullets.1", ["bullets.1"]),
        (
            {"sku": "A", "return_policy": {"refund_days": "soon"}},
            "A",
            "return_policy.refund_days",
            ["whole number"],
        ),
        ({"sku": "A", "return_policy": "7 days"}, "A", "return_policy", ["mapping"]),
        ({"sku": "A", "spec": ["x"]}, "A", "spec", ["spec"]),
        ({"sku": "A", "listcheck": {"ignroe": []}}, "A", "listcheck.ignroe", ["listcheck.ignroe"]),
        ({"sku": True}, None, "sku", ["sku"]),
    ],
)
def test_an_invalid_record_is_one_finding_naming_the_field(data, sku, field, words):
    finding = build(data, SOURCE)
    assert isinstance(finding, Finding)
    assert finding.rule == INPUT_INVALID_RECORD
    assert finding.category is Category.input
    assert finding.severity is Severity.error
    assert (finding.sku, finding.field, finding.source) == (sku, field, SOURCE)
    assert set(finding.messages) == {"en", "zh"}
    assert finding.message == finding.messages["en"]
    for word in words:
        assert word in finding.messages["en"]
    assert field in finding.messages["zh"]


def test_many_errors_are_counted_not_all_listed():
    finding = build({"bullets": [1, 2, 3, 4, 5, 6, 7]}, SOURCE)
    assert finding.field == "sku"
    assert "and 3 more" in finding.message


def test_the_supplier_is_carried_into_the_finding():
    finding = build({"sku": "A", "supplier": "Ningbo Cup Co.", "title": 5}, SOURCE)
    assert finding.supplier == "Ningbo Cup Co."


def test_a_record_that_is_not_a_mapping():
    finding = build("just text", SOURCE)
    assert isinstance(finding, Finding)
    assert finding.sku is None and finding.field is None
    assert "mapping" in finding.message


def test_products_in():
    assert products_in(None, path="p", explicit=True) == ([], False)
    assert products_in([1], path="p", explicit=True) == ([1], False)
    assert products_in({"products": [1]}, path="p", explicit=True) == ([1], True)
    with pytest.raises(CatalogError, match="rule pack"):
        products_in({"extends": ["x"]}, path="p", explicit=True)


def test_in_memory_records_read_like_file_records():
    from listcheck import api

    rules = api.load_rules(["core"])
    findings = list(api.check_records([{"sku": "M-1", "spec.color": "red"}, {"sku": "M-2", "title": 1}], rules))
    invalid = [f for f in findings if f.rule == "input/invalid-record"]
    assert [(f.sku, f.field, f.source.line) for f in invalid] == [("M-2", "title", 2)]
    assert all(f.source.path == "<records>" for f in findings)


def test_lone_surrogates_become_replacement_characters_in_files_and_in_memory_records():
    record = {"sku": "A\ud800", "spec": {"颜\udfff": ["红\udcff", 3]}, "title": "ok 😊"}
    expected = {"sku": "A\ufffd", "spec": {"颜\ufffd": ["红\ufffd", 3]}, "title": "ok 😊"}
    assert replace_surrogates(record) == expected
    assert tame_record(record) == expected  # what api.check_records does to a dict
    # Only an escape that can decode to a surrogate makes a file's records worth walking; a
    # pair (an emoji written as two escapes) decodes to one character and is walked harmlessly.
    assert may_hold_surrogates('{"t": "\\ud800"}') and may_hold_surrogates('{"t": "\\uD83D\\uDE0A"}')
    assert not may_hold_surrogates('{"t": "\\u6700\\u4f73 ud800"}')
