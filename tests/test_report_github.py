"""The GitHub Actions reporter: workflow-command annotations, escaped as the runner expects."""

from __future__ import annotations

import io
from pathlib import Path

from listcheck.findings import assign_fingerprints
from listcheck.model import Category, Finding, Report, Severity, Source, Summary, ToolInfo
from listcheck.report import FORMATS, render
from listcheck.report.github_format import annotation, escape_data, escape_property

FIXTURES = Path(__file__).parent / "fixtures" / "report"


def load_report() -> Report:
    report = Report.model_validate_json((FIXTURES / "report.json").read_text(encoding="utf-8"))
    assign_fingerprints(report.findings)
    return report


def github(report: Report, **kwargs) -> list[str]:
    out = io.StringIO()
    render(report, "github", out, **kwargs)
    text = out.getvalue()
    assert text.endswith("\n")
    return text.splitlines()


def test_registered():
    assert "github" in FORMATS


def test_one_command_per_active_finding():
    lines = github(load_report())
    commands = [line for line in lines if line.startswith("::")]
    assert len(commands) == 7  # 9 findings less one suppressed and one baselined
    assert commands[0] == (
        "::error file=catalog/tmall.yaml,line=3,title=spec-mismatch/capacity (TM-1001)"
        "::The title says 1000ml but the spec capacity is 500 ml"
        "%0Atitle · “1000ml” · expected 500 ml · found 1000 ml"
    )
    kinds = [line.split(" ", 1)[0] for line in commands]
    assert kinds.count("::error") == 5
    assert kinds.count("::warning") == 1
    assert kinds.count("::notice") == 1
    assert not any("顶级" in line for line in commands)  # suppressed
    assert not any("completeness/images" in line for line in commands)  # baselined
    # A finding without a SKU: no "(SKU)" in the title.
    assert "::error file=catalog/amazon.csv,line=12,title=input/unreadable-row::Row 12" in lines[4]
    # The last line is the plain verdict, not a command.
    assert lines[-1] == (
        "listcheck: 5 errors, 1 warning, 1 info in 3 of 7 products and 1 file "
        "(1 suppressed, 1 baselined) — failing on error"
    )


def test_chinese_messages():
    lines = github(load_report(), lang="zh")
    assert any(line.endswith("::广告法禁止使用“最佳”等绝对化用语%0Adescription · “最佳”") for line in lines)
    assert lines[-1].startswith("listcheck: 5 个错误")


def test_escaping():
    assert escape_data("100% done\r\nnext") == "100%25 done%0D%0Anext"
    assert escape_property("a:b,c%d\ne") == "a%3Ab%2Cc%25d%0Ae"
    finding = Finding(
        rule="x/y",
        category=Category.prohibited_claim,
        severity=Severity.warning,
        sku="A,1:2",
        message="50% off\n::error::injected",
        source=Source(path="dir\\we,ird:name.csv", line=4),
    )
    line = annotation(finding)
    assert line == (
        "::warning file=dir/we%2Cird%3Aname.csv,line=4,title=x/y (A%2C1%3A2)"
        "::50%25 off%0A::error::injected"
    )
    assert "\n" not in line
    # No file: no file= and no line=.
    bare = Finding(rule="x/z", category=Category.input, severity=Severity.info, message="m")
    assert annotation(bare) == "::notice title=x/z::m"


def test_empty_report():
    report = Report(tool=ToolInfo(version="0.1.0"), summary=Summary(products=2), findings=[])
    assert github(report) == ["listcheck: No problems in 2 products — passing (fail on error)"]
