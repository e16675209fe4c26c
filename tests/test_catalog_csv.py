"""listcheck.catalog.csv_format: dotted headers, physical lines, ragged rows, encodings."""

from __future__ import annotations

from pathlib import Path

import pytest

from listcheck.catalog import iter_products
from listcheck.errors import CatalogError
from listcheck.findings import INPUT_INVALID_RECORD, INPUT_UNREADABLE_ROW
from listcheck.model import Finding, Product, Source

FIXTURES = Path(__file__).parent / "fixtures" / "catalog"
CHINESE_HEADERS = {
    "商品编码": "sku",
    "商品标题": "title",
    "净含量": "spec.net_content",
    "颜色": "spec.color",
}


def read(path, **options):
    return list(iter_products([path], **options))


def test_dotted_headers_lines_and_bad_rows():
    path = FIXTURES / "products.csv"
    items = read(path)
    assert [(type(i).__name__, i.sku, i.source.line) for i in items] == [
        ("Product", "TM-2001", 2),
        ("Product", "TM-2002", 3),  # its quoted title runs on to line 4
        ("Finding", "TM-2003", 6),  # line 5 is blank
        ("Finding", None, 7),
        ("Finding", "TM-2005", 8),
    ]
    first, second, too_many, no_sku, bad_days = items
    assert first.source == Source(path=str(path), line=2)
    assert first.spec == {"capacity": "500 ml"}
    assert first.return_policy.no_reason_days == 7
    assert first.bullets == ["Keeps hot"]  # empty cells are absent, not ""
    assert first.description is None and "notes" not in first.model_extra
    assert second.title == "A title\r\nover two lines"
    assert second.bullets == ["Second bullet"]
    assert second.model_extra == {"notes": "from the buyer"}
    assert too_many.rule == INPUT_UNREADABLE_ROW
    assert "8 cells" in too_many.message and "7 columns" in too_many.message
    assert (no_sku.rule, no_sku.field) == (INPUT_INVALID_RECORD, "sku")
    assert (bad_days.rule, bad_days.field) == (INPUT_INVALID_RECORD, "return_policy.no_reason_days")


def test_too_few_cells_and_a_trailing_empty_cell(tmp_path):
    path = tmp_path / "ragged.csv"
    path.write_text("sku,title,spec.color\nR-1,short\nR-2,fine,red,\n", encoding="utf-8")
    short, fine = read(path)
    assert isinstance(short, Finding) and short.rule == INPUT_UNREADABLE_ROW
    assert (short.sku, short.source.line) == ("R-1", 2)
    assert isinstance(fine, Product) and fine.spec == {"color": "red"}


def test_gbk_csv_with_chinese_headers_through_mapping():
    path = FIXTURES / "gbk.csv"
    first, second = read(path, mapping=CHINESE_HEADERS)
    assert (first.sku, first.title, first.source.line) == ("GB-1", "坚果礼盒 500g", 2)
    assert first.spec == {"net_content": "500 g", "color": "红色"}
    assert second.title == "“每日坚果”混合装 750g"
    assert second.spec == {"net_content": "750 g"}


def test_without_the_mapping_a_csv_without_sku_is_an_error():
    with pytest.raises(CatalogError, match="no 'sku' column") as caught:
        read(FIXTURES / "gbk.csv")
    assert caught.value.line == 1
    assert "商品编码" in str(caught.value)


def test_utf8_bom_is_stripped():
    [product] = read(FIXTURES / "bom.csv")
    assert product.sku == "BOM-1"
    assert product.spec == {"color": "黑色"}
    assert product.source.line == 2


def test_utf16_is_refused():
    with pytest.raises(CatalogError, match="UTF-16 is not supported; save as UTF-8") as caught:
        read(FIXTURES / "utf16.csv")
    assert caught.value.path == str(FIXTURES / "utf16.csv")


def test_a_binary_file_named_csv_is_refused():
    with pytest.raises(CatalogError, match="binary file, not a catalog") as caught:
        read(FIXTURES / "binary.csv")
    assert caught.value.path == str(FIXTURES / "binary.csv")


def test_lists_from_numeric_segments_close_gaps_and_nest(tmp_path):
    path = tmp_path / "lists.csv"
    path.write_text(
        "sku,bullets.0,bullets.1,bullets.2,listcheck.ignore.0.rule,spec.composition.cotton\n"
        "L-1,,second,third,cn-ad-law/absolute-terms,65\n",
        encoding="utf-8",
    )
    [product] = read(path)
    assert product.bullets == ["second", "third"]
    assert product.listcheck.ignore == [{"rule": "cn-ad-law/absolute-terms"}]
    assert product.spec == {"composition": {"cotton": "65"}}


def test_a_value_and_sub_fields_in_one_row_is_a_record_finding(tmp_path):
    path = tmp_path / "clash.csv"
    path.write_text("sku,spec,spec.color\nC-1,,red\nC-2,oops,red\n", encoding="utf-8")
    fine, clash = read(path)
    assert fine.spec == {"color": "red"}
    assert isinstance(clash, Finding)
    assert (clash.rule, clash.sku, clash.field) == (INPUT_INVALID_RECORD, "C-2", "spec")
    assert clash.source.line == 3


def test_two_columns_for_one_field_is_an_error(tmp_path):
    path = tmp_path / "twice.csv"
    path.write_text("sku,商品编码\nA,B\n", encoding="utf-8")
    with pytest.raises(CatalogError, match="both give the field 'sku'"):
        read(path, mapping={"商品编码": "sku"})


def test_semicolon_and_tab_separated_exports(tmp_path):
    semicolon = tmp_path / "eu.csv"
    semicolon.write_text("sku;title;spec.price\nS-1;Tasse;9,99 €\n", encoding="utf-8")
    tabs = tmp_path / "tabs.csv"
    tabs.write_text("sku\ttitle\nT-1\tMug, large\n", encoding="utf-8")
    [eu] = read(semicolon)
    [tab] = read(tabs)
    assert (eu.title, eu.spec) == ("Tasse", {"price": "9,99 €"})
    assert tab.title == "Mug, large"


def test_a_cell_longer_than_the_csv_default_limit(tmp_path):
    path = tmp_path / "long.csv"
    description = "长" * 200_000
    path.write_text(f"sku,description\nL-1,{description}\n", encoding="utf-8")
    [product] = read(path)
    assert product.description == description
