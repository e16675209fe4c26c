"""listcheck.catalog.xlsx_format: workbooks, sheets with and without a sku column, rows."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pytest

from listcheck.catalog import iter_products
from listcheck.errors import CatalogError
from listcheck.findings import INPUT_INVALID_RECORD
from listcheck.model import Finding, Product, Source


def workbook(path, sheets):
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


def test_sheets_with_a_sku_column_are_read_others_skipped(tmp_path):
    path = workbook(
        tmp_path / "catalog.xlsx",
        {
            "说明": [["This sheet explains the columns"], ["sku means the product code"]],
            "商品": [
                ["商品编码", "商品标题", "净含量", "return_policy.no_reason_days", "bullets.0"],
                [1001.0, "坚果礼盒 500g", "500 g", 7.0, "Crunchy"],
                [None, None, None, None, None],
                ["SKU-2", 12345, None, -1, None],
                ["SKU-3", "Dated", dt.datetime(2024, 5, 1), None, None],
            ],
            "More": [["sku", "title"], [], ["M-1", "From the second catalog sheet"]],
        },
    )
    mapping = {"商品编码": "sku", "商品标题": "title", "净含量": "spec.net_content"}
    items = list(iter_products([path], mapping=mapping))
    assert [(type(i).__name__, i.sku, i.source.sheet, i.source.line) for i in items] == [
        ("Product", "1001", "商品", 2),
        ("Finding", "SKU-2", "商品", 4),  # row 3 is empty
        ("Product", "SKU-3", "商品", 5),
        ("Product", "M-1", "More", 3),
    ]
    first, bad_days, dated, more = items
    assert first.source == Source(path=str(path), line=2, sheet="商品")
    assert first.title == "坚果礼盒 500g"
    assert first.spec == {"net_content": "500 g"}
    assert first.return_policy.no_reason_days == 7
    assert first.bullets == ["Crunchy"]
    assert (bad_days.rule, bad_days.field) == (INPUT_INVALID_RECORD, "return_policy.no_reason_days")
    assert dated.spec == {"net_content": "2024-05-01"}
    assert more.title == "From the second catalog sheet"


def test_a_number_in_a_text_field_is_its_text(tmp_path):
    rows = [["sku", "title", "category", "spec.weight"], ["N-1", 12345, 501.5, 2.0]]
    path = workbook(tmp_path / "n.xlsx", {"S": rows})
    [product] = iter_products([path])
    assert (product.title, product.category, product.spec) == ("12345", "501.5", {"weight": 2})


def test_duplicate_sku_names_the_sheet_and_row(tmp_path):
    path = workbook(tmp_path / "d.xlsx", {"A": [["sku"], ["D-1"]], "B": [["sku"], ["D-1"]]})
    product, duplicate = iter_products([path])
    assert isinstance(product, Product)
    assert isinstance(duplicate, Finding)
    assert "sheet 'A', row 2" in duplicate.message
    assert duplicate.source == Source(path=str(path), line=2, sheet="B")


def test_no_sheet_with_a_sku_column_is_an_error(tmp_path):
    path = workbook(tmp_path / "none.xlsx", {"Sheet": [["code", "name"], ["A", "B"]]})
    with pytest.raises(CatalogError, match="no worksheet has a 'sku' column"):
        list(iter_products([path]))


def test_an_empty_workbook_is_an_empty_file(tmp_path):
    path = workbook(tmp_path / "empty.xlsx", {"Sheet": []})
    [finding] = iter_products([path])
    assert finding.rule == "input/empty-file"


def test_a_file_that_is_not_a_workbook(tmp_path):
    path = tmp_path / "fake.xlsx"
    path.write_text("sku,title\n", encoding="utf-8")
    with pytest.raises(CatalogError, match="not a readable .xlsx") as caught:
        list(iter_products([path]))
    assert caught.value.path == str(path)
