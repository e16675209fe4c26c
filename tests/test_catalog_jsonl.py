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


def test_a_line_of_invalid_utf8_is_an_input_finding_and_the_other_lines_are_checked(tmp_path):
    """A damaged byte (or a line pasted from a Latin-1 export) in a UTF-8 JSON Lines file costs
    that line, reported with its number, not the run (exit 2) nor the file."""
    import json

    from conftest import run_cli

    good = [json.dumps({"sku": f"G{i}", "title": "保温杯 500ml 不锈钢真空内胆"}, ensure_ascii=False) for i in range(6)]
    good[3] = json.dumps({"sku": "G3", "title": "最佳保温杯"}, ensure_ascii=False)
    damaged = b'{"sku": "BAD-1", "title": "caf\xe9 mug \xff"}'
    catalog = tmp_path / "export.jsonl"
    catalog.write_bytes(b"\n".join([*(line.encode() for line in good[:2]), damaged, *(line.encode() for line in good[2:])]) + b"\n")
    for jobs in ("1", "2"):
        result = run_cli("check", catalog, "--rules", "cn-ad-law", "--format", "json", "--jobs", jobs)
        assert result.returncode == 1, result.stderr  # 最佳 fails the run; the bad line does not stop it
        report = json.loads(result.stdout)
        [bad] = [f for f in report["findings"] if f["rule"] == INPUT_UNREADABLE_ROW]
        assert bad["source"]["line"] == 3 and bad["sku"] == "BAD-1" and "UTF-8" in bad["message"]
        assert report["summary"]["products"] == 6
        assert [f["sku"] for f in report["findings"] if f["rule"].startswith("cn-ad-law/")] == ["G3"]


def test_a_file_that_is_not_text_at_all_is_still_refused(tmp_path):
    from conftest import run_cli

    catalog = tmp_path / "image.jsonl"
    catalog.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    result = run_cli("check", catalog)
    assert result.returncode == 2 and "binary" in result.stderr and "Traceback" not in result.stderr
