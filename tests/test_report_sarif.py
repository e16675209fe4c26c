"""The SARIF reporter: valid SARIF 2.1.0 (OASIS schema), rules, locations, fingerprints."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from jsonschema import Draft4Validator, FormatChecker

from listcheck.findings import assign_fingerprints
from listcheck.model import Category, Finding, Report, Severity, Source, Summary, ToolInfo
from listcheck.report import FORMATS, render
from listcheck.report.sarif_format import artifact_location

FIXTURES = Path(__file__).parent / "fixtures" / "report"
# Shipped with the tests (tests/schemas/README.md: sources and licences).
SARIF_SCHEMA = Path(__file__).parent / "schemas" / "sarif-schema-2.1.0.json"


def load_report() -> Report:
    report = Report.model_validate_json((FIXTURES / "report.json").read_text(encoding="utf-8"))
    assign_fingerprints(report.findings)
    return report


def sarif(report: Report, lang: str = "en") -> tuple[str, dict]:
    out = io.StringIO()
    render(report, "sarif", out, lang=lang)
    return out.getvalue(), json.loads(out.getvalue())


@pytest.fixture(scope="module")
def validator() -> Draft4Validator:
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    assert schema["$schema"].startswith("http://json-schema.org/draft-04/")
    Draft4Validator.check_schema(schema)
    # Every format jsonschema knows, so "uri" / "uri-reference" are checked too when
    # rfc3986-validator is installed (the test extra has it).
    return Draft4Validator(schema, format_checker=FormatChecker())


@pytest.fixture(scope="module")
def report() -> Report:
    return load_report()


@pytest.fixture(scope="module")
def log(report) -> dict:
    return sarif(report)[1]


def errors(validator, document) -> list[str]:
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(document)]


def test_registered():
    assert "sarif" in FORMATS


def test_validates_against_the_sarif_schema(validator, report):
    for lang in ("en", "zh"):
        assert errors(validator, sarif(report, lang)[1]) == []


def test_run_and_driver(log, report):
    assert log["version"] == "2.1.0"
    assert log["$schema"].endswith("sarif-schema-2.1.0.json")
    [run] = log["runs"]
    driver = run["tool"]["driver"]
    assert driver["name"] == "listcheck"
    assert driver["version"] == report.tool.version
    assert driver["informationUri"].startswith("https://")
    assert len(run["results"]) == len(report.findings)


def test_rules_metadata(log, report):
    rules = log["runs"][0]["tool"]["driver"]["rules"]
    ids = [rule["id"] for rule in rules]
    assert ids == list(dict.fromkeys(f.rule for f in report.findings))  # one per rule, in order
    by_id = {rule["id"]: rule for rule in rules}
    capacity = by_id["spec-mismatch/capacity"]
    assert capacity["helpUri"] == "https://example.com/gb7718"
    assert capacity["defaultConfiguration"]["level"] == "error"
    assert capacity["fullDescription"]["text"].startswith("The title says 1000ml")
    assert "[GB 7718-2011 §4.1.5](https://example.com/gb7718)" in capacity["help"]["markdown"]
    assert capacity["properties"]["category"] == "spec-mismatch"
    assert by_id["completeness/images"]["defaultConfiguration"]["level"] == "note"
    assert by_id["spec-mismatch/color"]["defaultConfiguration"]["level"] == "warning"
    # A reference without a URL: help text, no helpUri.
    returns = by_id["cn-returns/seven-day-no-reason"]
    assert "helpUri" not in returns and "消费者权益保护法" in returns["help"]["text"]
    # The rule with an error and a (suppressed) warning defaults to the higher level.
    assert by_id["cn-ad-law/absolute-terms"]["defaultConfiguration"]["level"] == "error"
    assert by_id["cn-ad-law/absolute-terms"]["properties"]["tags"] == ["prohibited-claim", "cn-ad-law"]


def test_results(log, report):
    run = log["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    for finding, result in zip(report.findings, run["results"], strict=True):
        assert result["ruleId"] == finding.rule
        assert rules[result["ruleIndex"]]["id"] == finding.rule
        assert result["partialFingerprints"] == {"listcheck/v1": finding.fingerprint}
        level = {"error": "error", "warning": "warning", "info": "note"}[finding.severity.value]
        assert result["level"] == level
    first = run["results"][0]
    location = first["locations"][0]["physicalLocation"]
    assert location["artifactLocation"] == {"uri": "catalog/tmall.yaml", "uriBaseId": "%SRCROOT%"}
    assert location["region"] == {"startLine": 3}
    assert first["properties"] == {
        "category": "spec-mismatch",
        "sku": "TM-1001",
        "supplier": "宁波杯业有限公司",
        "field": "title",
        "attribute": "capacity",
        "match": "1000ml",
        "expected": "500 ml",
        "found": "1000 ml",
    }
    # The spreadsheet finding: row as the line, sheet as a logical location and a property.
    jd = next(r for r in run["results"] if r["ruleId"] == "cn-returns/seven-day-no-reason")
    assert jd["locations"][0]["physicalLocation"]["region"] == {"startLine": 5}
    assert {"name": "商品", "kind": "resource"} in jd["locations"][0]["logicalLocations"]
    assert jd["properties"]["sheet"] == "商品"
    # A finding without a SKU still points at its file and line.
    row = next(r for r in run["results"] if r["ruleId"] == "input/unreadable-row")
    assert row["locations"][0]["physicalLocation"]["region"] == {"startLine": 12}
    assert "sku" not in row["properties"]


def test_suppressed_and_baselined(log):
    results = log["runs"][0]["results"]
    suppressed = [r for r in results if "suppressions" in r]
    assert len(suppressed) == 1
    assert suppressed[0]["suppressions"] == [
        {"kind": "external", "status": "accepted", "justification": "registered trade name, cleared by legal"}
    ]
    baselined = [r for r in results if "baselineState" in r]
    assert [r["ruleId"] for r in baselined] == ["completeness/images"]
    assert baselined[0]["baselineState"] == "unchanged"


def test_chinese_kept_in_utf8(report):
    text, log = sarif(report, lang="zh")
    assert "标题写的是“1000ml”，但规格容量为 500 ml" in text  # not \u-escaped
    messages = [r["message"]["text"] for r in log["runs"][0]["results"]]
    assert "广告法禁止使用“最佳”等绝对化用语" in messages
    # No zh message for acme/bullet-count: English fallback.
    assert "Listings should have five bullets" in messages


def test_uris_are_valid_references(validator):
    assert artifact_location("catalog/tmall.yaml") == {"uri": "catalog/tmall.yaml", "uriBaseId": "%SRCROOT%"}
    assert artifact_location("./data\\商品 表#1.csv") == {
        "uri": "data/%E5%95%86%E5%93%81%20%E8%A1%A8%231.csv",
        "uriBaseId": "%SRCROOT%",
    }
    assert artifact_location("/srv/data/x y.csv") == {"uri": "file:///srv/data/x%20y.csv"}
    assert artifact_location("C:\\data\\x.csv") == {"uri": "file:///C:/data/x.csv"}
    # "a:b" would read as a URI scheme: the colon is encoded.
    assert artifact_location("a:b.csv")["uri"] == "a%3Ab.csv"

    finding = Finding(
        rule="x/y", category=Category.input, severity=Severity.info, message="m",
        source=Source(path="目录/商品 表.csv"),
    )
    nowhere = Finding(rule="x/z", category=Category.input, severity=Severity.info, message="n")
    report = Report(tool=ToolInfo(version="1.2"), summary=Summary(), findings=[finding, nowhere])
    log = sarif(report)[1]
    assert errors(validator, log) == []
    [with_file, without] = log["runs"][0]["results"]
    assert "region" not in with_file["locations"][0]["physicalLocation"]  # no line: no region
    assert "locations" not in without
    assert "semanticVersion" not in log["runs"][0]["tool"]["driver"]  # "1.2" is not semver


def test_uri_format_is_checked(validator):
    pytest.importorskip("rfc3986_validator", reason="rfc3986-validator checks URI formats")
    _, log = sarif(load_report())
    location = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
    location["artifactLocation"]["uri"] = "catalog/商品 表.csv"  # not percent-encoded
    assert any("uri" in message for message in errors(validator, log))


def test_a_real_run_validates(validator):
    from listcheck import api

    examples = Path(__file__).resolve().parents[1] / "examples"
    run = api.check_run([examples], config=api.load_config(search_from=examples))
    assert run.report.findings
    for lang in ("en", "zh"):
        out = io.StringIO()
        render(run.report, "sarif", out, lang=lang, products=run.products)
        log = json.loads(out.getvalue())
        assert errors(validator, log) == []
        assert len(log["runs"][0]["results"]) == len(run.report.findings)


def test_empty_report_is_valid(validator):
    report = Report(tool=ToolInfo(version="0.1.0"), summary=Summary(products=3), findings=[])
    log = sarif(report)[1]
    assert errors(validator, log) == []
    assert log["runs"][0]["results"] == [] and log["runs"][0]["tool"]["driver"]["rules"] == []
