"""The Markdown reporter: verdict, category × severity table, escaped findings table."""

from __future__ import annotations

import io
from pathlib import Path

from listcheck.findings import assign_fingerprints
from listcheck.model import Category, Finding, Report, Severity, Summary, ToolInfo
from listcheck.policy import summarize
from listcheck.report import FORMATS, render
from listcheck.report.markdown_format import MAX_ROWS, cell

FIXTURES = Path(__file__).parent / "fixtures" / "report"


def load_report() -> Report:
    report = Report.model_validate_json((FIXTURES / "report.json").read_text(encoding="utf-8"))
    assign_fingerprints(report.findings)
    return report


def markdown(report: Report, **kwargs) -> str:
    out = io.StringIO()
    render(report, "markdown", out, **kwargs)
    return out.getvalue()


def table_rows(text: str, after: str) -> list[list[str]]:
    """The cells of the first table after the heading `after` (header and separator dropped)."""
    lines = text.split(after, 1)[1].splitlines()
    block: list[str] = []
    for line in lines:
        if line.startswith("|"):
            block.append(line)
        elif block:
            break
    return [split_row(line) for line in block[2:]]


def split_row(line: str) -> list[str]:
    """Split a GFM table row on unescaped pipes."""
    cells, current, escaped = [], "", False
    for char in line.strip()[1:-1]:
        if char == "|" and not escaped:
            cells.append(current.strip())
            current = ""
            continue
        escaped = char == "\\" and not escaped
        current += char
    cells.append(current.strip())
    return cells


def test_registered():
    assert "markdown" in FORMATS


def test_summary_and_verdict():
    text = markdown(load_report())
    assert text.startswith("## listcheck report\n")
    assert (
        "**5 errors, 1 warning, 1 info in 3 of 7 products and 1 file (1 suppressed, 1 baselined)"
        " — failing on error**"
    ) in text
    summary = table_rows(text, "### Summary")
    assert summary[0] == ["spec mismatch", "1", "1", "0", "2", "0", "0"]
    assert summary[1] == ["prohibited claim", "2", "0", "0", "2", "1", "0"]
    assert summary[-1] == ["**Total**", "**5**", "**1**", "**1**", "**7**", "**1**", "**1**"]


def test_findings_table():
    report = load_report()
    rows = table_rows(markdown(report), "### Findings")
    assert len(rows) == len(report.findings)
    assert all(len(row) == 6 for row in rows)
    assert rows[0] == [
        "error", "`spec-mismatch/capacity`", "TM-1001", "title",
        "The title says 1000ml but the spec capacity is 500 ml", "`1000ml`",
    ]
    # Active first; suppressed and baselined last, marked and struck through.
    assert rows[-2][0] == "warning (suppressed)"
    assert rows[-2][4].startswith("~~Absolute term '顶级'")
    assert rows[-2][4].endswith("— registered trade name, cleared by legal")
    assert rows[-1][0] == "info (baselined)"
    # Underscores and brackets in fields are escaped.
    assert any(row[3] == "return\\_policy.no\\_reason\\_days" for row in rows)
    assert any(row[3] == "bullets\\[1\\]" for row in rows)


def test_chinese():
    text = markdown(load_report(), lang="zh")
    assert text.startswith("## listcheck 检查报告\n")
    assert "| 类别 | 错误 | 警告 | 提示 | 合计 | 已忽略 | 已在基线中 |" in text
    assert "标题写的是“1000ml”，但规格容量为 500 ml" in text


def test_cell_escaping():
    assert cell("a|b") == "a\\|b"
    assert cell("line\nbreak\r\nhere") == "line break here"
    assert cell("<script>alert(1)</script>") == "\\<script\\>alert(1)\\</script\\>"
    assert cell("[click](javascript:x)") == "\\[click\\](javascript:x)"
    assert cell("*bold* _it_ `code` ~~s~~") == "\\*bold\\* \\_it\\_ \\`code\\` \\~\\~s\\~\\~"
    assert cell("a & b") == "a &amp; b"
    assert cell(None) == ""


def test_hostile_text_cannot_break_the_table():
    finding = Finding(
        rule="x/y", category=Category.prohibited_claim, severity=Severity.error,
        sku="A|B", field="title", match="m|a`t\nch", message="one | two\n| three |",
    )
    report = Report(tool=ToolInfo(version="0.1.0"), summary=summarize([finding], 1, "error"),
                    findings=[finding])
    [row] = table_rows(markdown(report), "### Findings")
    assert len(row) == 6
    assert row[2] == "A\\|B"
    assert row[4] == "one \\| two \\| three \\|"
    assert row[5] == "`m\\|a't ch`"


def test_truncated_with_a_note():
    findings = [
        Finding(rule=f"x/r{i}", category=Category.completeness, severity=Severity.info,
                sku=f"S{i}", message="m")
        for i in range(MAX_ROWS + 25)
    ]
    report = Report(tool=ToolInfo(version="0.1.0"), summary=summarize(findings, 300, "error"),
                    findings=findings)
    text = markdown(report)
    assert len(table_rows(text, "### Findings")) == MAX_ROWS
    assert text.rstrip().endswith("_25 more — see the full report._")


def test_empty_report():
    report = Report(tool=ToolInfo(version="0.1.0"), summary=Summary(products=4), findings=[])
    assert markdown(report) == (
        "## listcheck report\n\n**No problems in 4 products — passing (fail on error)**\n\nNo findings.\n"
    )
