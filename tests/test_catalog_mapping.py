"""listcheck.catalog.mapping: header renames and dotted-path expansion."""

from __future__ import annotations

import pytest

from listcheck.catalog.mapping import FieldMapping, KeyConflict, split_path
from listcheck.errors import CatalogError


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("sku", None),
        ("spec.capacity", ("spec", "capacity")),
        ("bullets.0", ("bullets", "0")),
        ("No.", None),
        (".hidden", None),
        ("a..b", None),
    ],
)
def test_split_path(name, expected):
    assert split_path(name) == expected


def test_columns_rename_then_expand():
    fields = FieldMapping({"商品编码": "sku", "净含量": "spec.net_content"})
    plan = fields.columns([" 商品编码 ", "净含量", "spec.color", "产地", ""], path="x.csv")
    assert plan.has_sku and plan.sku_column == 0
    assert plan.build(["A-1", "500 g", "red", "宁波", "ignored"]) == {
        "sku": "A-1",
        "产地": "宁波",
        "spec": {"net_content": "500 g", "color": "red"},
    }
    assert plan.build(["A-2", "", "", "", ""]) == {"sku": "A-2"}


def test_duplicate_columns_after_mapping():
    fields = FieldMapping({"SKU编码": "sku"})
    with pytest.raises(CatalogError) as caught:
        fields.columns(["sku", "title", "SKU编码"], path="x.csv", line=1)
    assert caught.value.field == "sku"
    assert "columns 1 ('sku') and 3 ('SKU编码')" in str(caught.value)


def test_record_keys_are_renamed_and_expanded_without_touching_the_input():
    fields = FieldMapping({"颜色": "spec.color"})
    spec = {"material": "steel"}
    record = {"sku": "R-1", "spec": spec, "颜色": "black", "bullets.1": "b", "bullets.0": "a"}
    assert fields.record(record) == {
        "sku": "R-1",
        "spec": {"material": "steel", "color": "black"},
        "bullets": ["a", "b"],
    }
    assert spec == {"material": "steel"}


def test_records_without_renames_or_dots_pass_through_unchanged():
    record = {"sku": "R-1", "spec": {"a.b": 1}}
    assert FieldMapping().record(record) is record
    assert FieldMapping().record(["not", "a", "mapping"]) == ["not", "a", "mapping"]


@pytest.mark.parametrize(
    ("record", "field"),
    [
        ({"sku": "A", "货号": "B"}, "sku"),
        ({"sku": "A", "spec": "text", "spec.color": "red"}, "spec.color"),
        ({"sku": "A", "spec": {"color": "red"}, "spec.color": "blue"}, "spec.color"),
    ],
)
def test_record_conflicts(record, field):
    conflict = FieldMapping({"货号": "sku"}).record(record)
    assert isinstance(conflict, KeyConflict)
    assert conflict.field == field
    assert conflict.zh and conflict.message
    assert conflict.record.get("sku") == "A"
