"""listcheck.catalog.jsonl_format: one object per line, bad lines reported and skipped."""

from __future__ import annotations

from pathlib import Path

from listcheck.catalog import iter_products
from listcheck.findings import INPUT_INVALID_RECORD, INPUT_UNREADABLE_ROW
from listcheck.model import Finding, Product, Source

FIXTURES = Path(__file__).parent / "fixtures" / "catalog"


def test_a_bad_line_among_good_ones():
    path = FIXTURES / "products.jsonl"
    items = list(iter_products([path]))
    assert [(type(i).__name__, i.sku, i.source.line) for i in items] == [
        ("Product", "DY-1", 1),
        ("Finding", None, 3),
        ("Product", "DY-3", 4),
        ("Finding", "DY-4", 5),
    ]
    bad_line, wrong_type = items[1], items[3]
    assert bad_line.rule == INPUT_UNREADABLE_ROW
    assert bad_line.source == Source(path=str(path), line=3)
    assert "JSON" in bad_line.messages["en"] and "JSON" in bad_line.messages["zh"]
    assert (wrong_type.rule, wrong_type.field) == (INPUT_INVALID_RECORD, "title")
    assert items[2].spec == {"net_content": "50 ml"}


def test_ndjson_crlf_and_a_line_that_is_not_an_object(tmp_path):
    path = tmp_path / "feed.ndjson"
    path.write_bytes(b'{"sku": "N-1"}\r\n[1, 2]\r\n\r\n{"sku": "N-3", "bullets.0": "one"}')
    first, array, last = iter_products([path])
    assert isinstance(first, Product) and first.source.line == 1
    assert isinstance(array, Finding) and array.rule == INPUT_INVALID_RECORD
    assert array.source.line == 2
    assert (last.sku, last.bullets, last.source.line) == ("N-3", ["one"], 4)


def test_nan_and_huge_numbers_do_not_crash(tmp_path):
    path = tmp_path / "odd.jsonl"
    path.write_text(
        '{"sku": "O-1", "spec": {"weight": NaN}}\n{"sku": "O-2", "n": ' + "9" * 5000 + "}\n",
        encoding="utf-8",
    )
    first, second = iter_products([path])
    assert isinstance(first, Product)
    assert isinstance(second, Finding) and second.rule == INPUT_UNREADABLE_ROW
    assert second.source.line == 2
