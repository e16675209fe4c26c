"""listcheck.catalog.xlsx_format: workbooks, sheets with and without a sku column, rows."""

from __future__ import annotations

import datetime as dt
import json
import warnings

import openpyxl
import pytest
from conftest import run_cli

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


def dated_workbook(path, *extra_sheets):
    """A catalog whose `spec.made` cells are date-formatted; A-1's number (1e10 days) is
    no date Python can hold, B-2's is 2023-03-15. openpyxl warns about A-1's cell while the
    rows are read (not while the workbook is opened) and gives "#VALUE!" for it."""
    rows = [["sku", "title", "spec.made"], ["A-1", "最佳 水杯", 10_000_000_000], ["B-2", "Plain cup", 45000]]
    workbook(path, {"products": rows, **dict(extra_sheets)})
    book = openpyxl.load_workbook(path)  # the dates' format is set once their numbers are in
    for row in (2, 3):
        book["products"].cell(row, 3).number_format = "yyyy-mm-dd"
    book.save(path)
    return path


def test_a_date_cell_out_of_range_keeps_its_number_and_warns_nobody(tmp_path):
    path = dated_workbook(tmp_path / "dated.xlsx")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a warning that reached us would fail the read
        before = list(warnings.filters)
        items = iter_products([path])
        first = next(items)
        # Between two products the consumer runs with its own filters, not the reader's.
        assert warnings.filters == before
        rest = list(items)
        assert warnings.filters == before
    assert [(type(i).__name__, i.sku) for i in [first, *rest]] == [("Product", "A-1"), ("Product", "B-2")]
    assert first.spec == {"made": 10_000_000_000}
    assert rest[0].spec == {"made": "2023-03-15"}


def test_a_real_value_error_cell_is_left_as_it_is(tmp_path):
    rows = [["sku", "title"], ["E-1", "#VALUE!"]]
    [product] = iter_products([workbook(tmp_path / "e.xlsx", {"S": rows})])
    assert product.title == "#VALUE!"


def test_the_cli_checks_a_workbook_with_a_bad_date_with_nothing_on_stderr(tmp_path):
    path = dated_workbook(tmp_path / "dated.xlsx")
    env = {"LISTCHECK_DEBUG": "", "NO_COLOR": "1"}
    terminal = run_cli("check", path, "--rules", "cn-ad-law", cwd=tmp_path, env=env)
    assert terminal.returncode == 1, terminal.stderr
    assert terminal.stderr == ""
    assert "A-1" in terminal.stdout and "1 of 2 products" in terminal.stdout
    as_json = run_cli("check", path, "--rules", "cn-ad-law", "-f", "json", cwd=tmp_path, env=env)
    assert as_json.returncode == 1
    # Only the summary line, which a non-terminal format always writes to stderr.
    assert as_json.stderr.splitlines() == [
        "listcheck: FAILED: 1 error, 0 warnings, 0 info in 1 of 2 products (fail on error)"
    ]
    report = json.loads(as_json.stdout)
    assert report["summary"]["products"] == 2
    assert [(f["sku"], f["match"]) for f in report["findings"]] == [("A-1", "最佳")]


def test_a_bad_sheet_after_a_bad_date_is_exactly_one_error_line(tmp_path):
    path = dated_workbook(tmp_path / "then-bad.xlsx", ("bad", [["sku", "title", "title"], ["Z", "最佳", "x"]]))
    result = run_cli("check", path, "-f", "json", cwd=tmp_path, env={"LISTCHECK_DEBUG": "", "NO_COLOR": "1"})
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr and "Warning" not in result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith(f"listcheck: error: {path}:1: title: "), lines[0]
    assert "sheet 'bad'" in lines[0]
    assert result.stdout == ""


def test_bad_dates_after_empty_rows_go_back_to_their_own_row(tmp_path):
    # openpyxl parses row 6 (and warns) while it fills in the empty rows 3 to 5.
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["sku", "spec.a", "spec.b"])
    sheet.append(["A", 1, 2])
    sheet.cell(6, 1, "G")
    sheet.cell(6, 2, 10**10).number_format = "yyyy-mm-dd"
    sheet.cell(6, 3, -(10**12)).number_format = "yyyy-mm-dd"
    book.save(tmp_path / "gap.xlsx")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        items = list(iter_products([tmp_path / "gap.xlsx"]))
    assert [(i.sku, i.source.line, i.spec) for i in items] == [
        ("A", 2, {"a": 1, "b": 2}),
        ("G", 6, {"a": 10**10, "b": -(10**12)}),
    ]
