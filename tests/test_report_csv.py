"""The CSV reporter: one row per finding, UTF-8 with BOM, CRLF, formula-injection safe."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from listcheck.findings import assign_fingerprints
from listcheck.model import Category, Finding, Reference, Report, Severity, Source, Summary, ToolInfo
from listcheck.report import FORMATS, render
from listcheck.report.csv_format import COLUMNS, safe_cell

FIXTURES = Path(__file__).parent / "fixtures" / "report"


def load_report() -> Report:
    report = Report.model_validate_json((FIXTURES / "report.json").read_text(encoding="utf-8"))
    assign_fingerprints(report.findings)
    return report


def write_csv(report: Report, path: Path, **kwargs) -> bytes:
    # As the CLI's --output opens its file.
    with open(path, "w", encoding="utf-8", newline="") as handle:
        render(report, "csv", handle, **kwargs)
    return path.read_bytes()


def read_rows(data: bytes) -> list[dict[str, str]]:
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def test_registered():
    assert "csv" in FORMATS


def test_bom_crlf_and_columns(tmp_path):
    report = load_report()
    data = write_csv(report, tmp_path / "r.csv")
    assert data.startswith("\ufeffseverity,rule,category,".encode("utf-8"))
    assert data.count(b"\r\n") == len(report.findings) + 1
    assert b"\n" not in data.replace(b"\r\n", b"")
    rows = read_rows(data)
    assert list(rows[0]) == list(COLUMNS)
    assert len(rows) == len(report.findings)
    first = rows[0]
    assert first["severity"] == "error" and first["rule"] == "spec-mismatch/capacity"
    assert first["supplier"] == "宁波杯业有限公司"
    assert first["file"] == "catalog/tmall.yaml" and first["line"] == "3"
    assert first["expected"] == "500 ml" and first["found"] == "1000 ml"
    assert first["reference"] == "GB 7718-2011 §4.1.5 <https://example.com/gb7718>"
    assert first["fingerprint"] == report.findings[0].fingerprint
    assert first["suppressed"] == "false" and first["baselined"] == "false"
    by_rule = {(row["rule"], row["severity"]): row for row in rows}
    suppressed = by_rule[("cn-ad-law/absolute-terms", "warning")]
    assert suppressed["suppressed"] == "true" and suppressed["match"] == "顶级"
    assert by_rule[("completeness/images", "info")]["baselined"] == "true"
    jd = by_rule[("cn-returns/seven-day-no-reason", "error")]
    assert jd["file"] == "catalog/jd.xlsx[商品]" and jd["line"] == "5"
    assert jd["expected"] == '{"no_reason_days": 7}' and jd["found"] == "0"
    assert by_rule[("acme/bullet-count", "info")]["found"] == "2"
    assert by_rule[("input/unreadable-row", "error")]["sku"] == ""


def test_chinese_messages(tmp_path):
    rows = read_rows(write_csv(load_report(), tmp_path / "zh.csv", lang="zh"))
    assert rows[0]["message"] == "标题写的是“1000ml”，但规格容量为 500 ml"
    # Headers stay English for scripts.
    assert list(rows[0])[:2] == ["severity", "rule"]


@pytest.mark.parametrize(
    "value, expected",
    [
        ("=HYPERLINK(\"http://x\",\"y\")", "'=HYPERLINK(\"http://x\",\"y\")"),
        ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
        ("-2+3", "'-2+3"),
        ("@SUM(1,1)", "'@SUM(1,1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        # Characters a spreadsheet does not show or trims, ahead of the formula (fuzzing).
        ("\ufeff=HYPERLINK(1)", "'\ufeff=HYPERLINK(1)"),
        ("\u200b=1+1", "'\u200b=1+1"),
        ("\x00=1+1", "'\x00=1+1"),
        ("\x1b=1+1", "'\x1b=1+1"),
        ("\u200b最佳", "\u200b最佳"),
        ("-5", "-5"),
        ("+1.5", "+1.5"),
        ("a=b", "a=b"),
        ("最佳", "最佳"),
        ("", ""),
    ],
)
def test_safe_cell(value, expected):
    assert safe_cell(value) == expected


def test_formula_injection_in_every_text_cell(tmp_path):
    evil = "=cmd|' /C calc'!A0"
    finding = Finding(
        rule="x/y", category=Category.prohibited_claim, severity=Severity.error,
        sku="@sku", supplier="+supplier", field="-field", match=evil, expected=evil, found=-3,
        message=evil, references=[Reference(title="=ref", url="https://example.com")],
        source=Source(path="=path.csv", line=2),
    )
    report = Report(tool=ToolInfo(version="0.1.0"), summary=Summary(), findings=[finding])
    [row] = read_rows(write_csv(report, tmp_path / "evil.csv"))
    for column in ("sku", "supplier", "field", "match", "expected", "message", "file", "reference"):
        assert row[column].startswith("'"), column
    assert row["found"] == "-3"
    assert row["line"] == "2"


def test_multiline_text_stays_one_record(tmp_path):
    finding = Finding(
        rule="x/y", category=Category.input, severity=Severity.info,
        message='line one\nline "two", three',
    )
    report = Report(tool=ToolInfo(version="0.1.0"), summary=Summary(), findings=[finding])
    [row] = read_rows(write_csv(report, tmp_path / "m.csv"))
    assert row["message"] == 'line one\nline "two", three'


def test_empty_report_has_header_only(tmp_path):
    report = Report(tool=ToolInfo(version="0.1.0"), summary=Summary(), findings=[])
    data = write_csv(report, tmp_path / "e.csv")
    assert data == ("\ufeff" + ",".join(COLUMNS) + "\r\n").encode("utf-8")
