"""listcheck.catalog.yaml_format: YAML catalogs, their lines, and YAML that must not load."""

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


def test_products_and_findings_with_their_lines():
    path = FIXTURES / "products.yaml"
    items = read(path)
    assert [type(item).__name__ for item in items] == [
        "Product", "Product", "Finding", "Finding", "Finding", "Finding",
    ]
    first, second = items[0], items[1]
    assert first.source == Source(path=str(path), line=2)
    assert first.title == "保温杯 500ml 316不锈钢"
    assert first.spec == {"capacity": "500 ml", "material": "316 stainless steel"}
    assert first.return_policy.no_reason_days == 7
    assert second.source == Source(path=str(path), line=13)
    assert second.sku == "1002"
    assert second.bullets == ["Leak-proof lid", "Keeps hot 12 h"]

    wrong_type, no_sku, not_mapping, two_errors = items[2:]
    assert all(f.rule == INPUT_INVALID_RECORD for f in items[2:])
    assert (wrong_type.sku, wrong_type.field, wrong_type.source.line) == ("TM-1003", "title", 15)
    assert "title" in wrong_type.messages["en"] and "title" in wrong_type.messages["zh"]
    assert (no_sku.sku, no_sku.field, no_sku.source.line) == (None, "sku", 18)
    assert "sku" in no_sku.message
    assert (not_mapping.sku, not_mapping.source.line) == (None, 20)
    assert "mapping" in not_mapping.message
    assert (two_errors.sku, two_errors.field) == ("TM-1006", "bullets.1")
    assert two_errors.source.line == 22
    assert "bullets.1" in two_errors.message
    assert "return_policy.no_reason_days" in two_errors.message
    assert "return_policy.no_reason_days" in two_errors.messages["zh"]


def test_products_under_a_products_key(tmp_path):
    path = tmp_path / "c.yml"
    path.write_text("title: ignored\nproducts:\n  - sku: P-1\n\n  -   sku: P-2\n", encoding="utf-8")
    items = read(path)
    assert [(p.sku, p.source.line) for p in items] == [("P-1", 3), ("P-2", 5)]


def test_malformed_yaml_names_the_line(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("- sku: A-1\n- sku: A-2\n  title: [unclosed\n- sku: A-3\n", encoding="utf-8")
    with pytest.raises(CatalogError, match="invalid YAML") as caught:
        read(path)
    assert caught.value.path == str(path)
    assert caught.value.line == 4


def test_python_tags_are_refused_not_run(tmp_path):
    marker = tmp_path / "ran"
    path = tmp_path / "evil.yaml"
    path.write_text(
        "- sku: E-1\n"
        "- !!python/object/apply:pathlib.Path.touch\n"
        f"  [!!python/object/apply:pathlib.Path [{str(marker)!r}]]\n",
        encoding="utf-8",
    )
    refused = r"!!python/object/apply:pathlib.Path.touch is not allowed"
    with pytest.raises(CatalogError, match=refused) as caught:
        read(path)
    assert caught.value.line == 2
    assert not marker.exists()


def test_python_object_tag_on_a_field(tmp_path):
    path = tmp_path / "evil.yaml"
    path.write_text("- sku: E-1\n  title: !!python/object:os.system {}\n", encoding="utf-8")
    with pytest.raises(CatalogError, match="not allowed") as caught:
        read(path)
    assert (caught.value.path, caught.value.line) == (str(path), 2)


def test_a_single_product_mapping_is_explained(tmp_path):
    path = tmp_path / "one.yaml"
    path.write_text("sku: S-1\ntitle: alone\n", encoding="utf-8")
    with pytest.raises(CatalogError, match="single product"):
        read(path)


def test_a_shared_alias_is_not_changed_by_a_dotted_key(tmp_path):
    path = tmp_path / "alias.yaml"
    path.write_text(
        "- sku: A-1\n  spec: &shared {color: red}\n  spec.size: XL\n- sku: A-2\n  spec: *shared\n",
        encoding="utf-8",
    )
    first, second = read(path)
    assert first.spec == {"color": "red", "size": "XL"}
    assert second.spec == {"color": "red"}


def test_yaml_in_gb18030(tmp_path):
    path = tmp_path / "gbk.yaml"
    path.write_bytes("- sku: G-1\n  title: 坚果礼盒 500g\n".encode("gb18030"))
    [product] = read(path)
    assert isinstance(product, Product) and product.title == "坚果礼盒 500g"


def test_unknown_top_level_fields_are_kept(tmp_path):
    path = tmp_path / "extra.yaml"
    path.write_text("- sku: X-1\n  provenance: {row: 3}\n", encoding="utf-8")
    [product] = read(path)
    assert not isinstance(product, Finding)
    assert product.model_extra == {"provenance": {"row": 3}}
