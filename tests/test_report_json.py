"""The json and jsonl reporters and the report JSON Schema, on a real multi-product report."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from listcheck.errors import ListcheckError
from listcheck.findings import assign_fingerprints, input_finding
from listcheck.model import Category, Finding, Report, Severity, Source, Summary, ToolInfo
from listcheck.report import FORMATS, UnknownFormatError, render, report_json_schema

FIXTURES = Path(__file__).parent / "fixtures" / "report"

# What the JSON report contract (`listcheck schema report`) promises every finding carries.
CONTRACT_FIELDS = {
    "rule",
    "category",
    "severity",
    "sku",
    "supplier",
    "field",
    "attribute",
    "match",
    "expected",
    "found",
    "message",
    "references",
    "source",
    "fingerprint",
}


def load_report() -> Report:
    report = Report.model_validate_json((FIXTURES / "report.json").read_text(encoding="utf-8"))
    assign_fingerprints(report.findings)
    return report


def rendered(report: Report, fmt: str, **kwargs) -> str:
    out = io.StringIO()
    render(report, fmt, out, **kwargs)
    return out.getvalue()


@pytest.fixture(scope="module")
def report() -> Report:
    return load_report()


@pytest.fixture(scope="module")
def schema() -> dict:
    return report_json_schema()


@pytest.fixture(scope="module")
def validator(schema) -> Draft202012Validator:
    return Draft202012Validator(schema)


@pytest.fixture(scope="module")
def finding_validator(schema) -> Draft202012Validator:
    return Draft202012Validator({"$defs": schema["$defs"], "$ref": "#/$defs/Finding"})


# -- registry -----------------------------------------------------------------------------


def test_formats_registry():
    assert FORMATS == ("terminal", "json", "jsonl", "sarif", "junit", "github", "csv", "markdown", "html")


def test_unknown_format_is_a_clear_error(report):
    with pytest.raises(
        UnknownFormatError, match="unknown report format 'xml'.*terminal, json, jsonl"
    ):
        render(report, "xml", io.StringIO())
    assert issubclass(UnknownFormatError, ListcheckError)
    assert issubclass(UnknownFormatError, ValueError)


# -- schema -------------------------------------------------------------------------------


def test_schema_is_valid_draft_2020_12(schema):
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"] == "https://listcheck.dev/schemas/report-v1.json"
    assert schema["title"] == "listcheck JSON report"
    assert list(schema)[:3] == ["$schema", "$id", "title"]
    assert set(schema["required"]) == {"schema_version", "tool", "summary", "findings"}
    assert schema["properties"]["schema_version"]["const"] == 1


def test_schema_requires_the_contract_fields(schema):
    finding = schema["$defs"]["Finding"]
    assert CONTRACT_FIELDS <= set(finding["required"])
    assert finding["properties"]["severity"]["$ref"] == "#/$defs/Severity"
    assert schema["$defs"]["Severity"]["enum"] == ["error", "warning", "info"]
    assert "baseline" in finding["properties"]["fingerprint"]["description"]


def test_schema_is_a_fresh_copy_each_call():
    first = report_json_schema()
    first["$defs"]["Finding"]["required"].clear()
    assert "rule" in report_json_schema()["$defs"]["Finding"]["required"]


def test_schema_rejects_a_broken_report(report, validator):
    data = json.loads(rendered(report, "json"))
    data["findings"][0]["severity"] = "fatal"
    del data["findings"][1]["fingerprint"]
    data["schema_version"] = 2
    messages = [error.message for error in validator.iter_errors(data)]
    assert any("'fatal'" in message for message in messages)
    assert any("'fingerprint' is a required property" in message for message in messages)
    assert any("1 was expected" in message for message in messages)


# -- json ---------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_json_validates_against_the_schema(report, validator, lang):
    data = json.loads(rendered(report, "json", lang=lang))
    errors = sorted(validator.iter_errors(data), key=lambda error: list(error.path))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors]


def test_json_is_pretty_utf8_with_trailing_newline(report):
    text = rendered(report, "json")
    assert text.endswith("}\n") and not text.endswith("\n\n")
    assert '\n  "schema_version": 1,' in text  # indent 2
    assert "宁波杯业有限公司" in text and "\\u" not in text  # ensure_ascii=False


def test_json_carries_every_contract_field(report):
    data = json.loads(rendered(report, "json"))
    assert data["schema_version"] == 1
    assert data["tool"] == {
        "name": "listcheck",
        "version": "0.1.0",
        "packs": ["cn-ad-law", "spec-mismatch", "us-claims"],
        "config": None,
    }
    assert len(data["findings"]) == len(report.findings) == 9
    for finding in data["findings"]:
        assert CONTRACT_FIELDS <= set(finding)
    # Fields without a value are kept as null, not dropped.
    file_level = next(f for f in data["findings"] if f["rule"] == "input/unreadable-row")
    assert (
        file_level["sku"] is None and file_level["supplier"] is None and file_level["match"] is None
    )
    assert file_level["source"] == {"path": "catalog/amazon.csv", "line": 12, "sheet": None}


def test_json_fingerprints_source_and_summary(report):
    data = json.loads(rendered(report, "json"))
    fingerprints = [f["fingerprint"] for f in data["findings"]]
    assert fingerprints == [f.fingerprint for f in report.findings]
    assert all(len(fp) == 32 for fp in fingerprints) and len(set(fingerprints)) == len(fingerprints)
    first = data["findings"][0]
    assert first["source"] == {"path": "catalog/tmall.yaml", "line": 3, "sheet": None}
    assert first["context"] == {"text": "保温杯 1000ml 316不锈钢 长效保温", "start": 4, "end": 10}
    assert (first["attribute"], first["match"], first["expected"], first["found"]) == (
        "capacity",
        "1000ml",
        "500 ml",
        "1000 ml",
    )
    assert first["references"] == [
        {"title": "GB 7718-2011 §4.1.5", "url": "https://example.com/gb7718"}
    ]
    suppressed = data["findings"][3]
    assert suppressed["suppressed"] is True
    assert suppressed["suppression_reason"] == "registered trade name, cleared by legal"
    assert data["summary"]["failed"] is True and data["summary"]["products"] == 7
    assert data["summary"]["by_severity"] == {"error": 5, "warning": 1, "info": 1}


def test_json_message_follows_lang_and_messages_keeps_both(report):
    en = json.loads(rendered(report, "json", lang="en"))["findings"]
    zh = json.loads(rendered(report, "json", lang="zh"))["findings"]
    assert en[0]["message"] == "The title says 1000ml but the spec capacity is 500 ml"
    assert zh[0]["message"] == "标题写的是“1000ml”，但规格容量为 500 ml"
    assert (
        en[0]["messages"]
        == zh[0]["messages"]
        == {
            "en": "The title says 1000ml but the spec capacity is 500 ml",
            "zh": "标题写的是“1000ml”，但规格容量为 500 ml",
        }
    )
    # A rule with an English message only falls back to English.
    bullets = next(f for f in zh if f["rule"] == "acme/bullet-count")
    assert bullets["message"] == "Listings should have five bullets"


def test_json_round_trips_to_the_same_report(report):
    data = json.loads(rendered(report, "json", lang="en"))
    assert Report.model_validate(data) == report


def test_json_message_falls_back_to_message_without_messages():
    finding = Finding(
        rule="x/y", category=Category.completeness, severity=Severity.info, message="plain"
    )
    report = Report(tool=ToolInfo(version="0.1.0"), summary=Summary(), findings=[finding])
    assert json.loads(rendered(report, "json", lang="zh"))["findings"][0]["message"] == "plain"


def test_json_never_writes_nan():
    finding = Finding(
        rule="x/y",
        category=Category.spec_mismatch,
        severity=Severity.error,
        message="m",
        expected=float("nan"),
        found={"weight": float("inf")},
    )
    report = Report(tool=ToolInfo(version="0.1.0"), summary=Summary(), findings=[finding])

    def reject(constant):
        raise AssertionError(f"non-standard JSON constant {constant}")

    data = json.loads(rendered(report, "json"), parse_constant=reject)
    assert data["findings"][0]["expected"] is None


def test_json_input_finding_from_the_loader_helper(validator):
    finding = input_finding(
        "input/empty-file",
        en="The file has no products",
        zh="文件中没有商品",
        source=Source(path="empty.csv"),
    )
    assign_fingerprints([finding])
    report = Report(tool=ToolInfo(version="0.1.0"), summary=Summary(), findings=[finding])
    data = json.loads(rendered(report, "json", lang="zh"))
    assert not list(validator.iter_errors(data))
    assert data["findings"][0]["message"] == "文件中没有商品"
    assert data["findings"][0]["source"] == {"path": "empty.csv", "line": None, "sheet": None}


# -- jsonl --------------------------------------------------------------------------------


def test_jsonl_is_one_finding_per_line(report, finding_validator):
    text = rendered(report, "jsonl", lang="zh")
    assert text.endswith("\n")
    lines = text.splitlines()
    assert len(lines) == len(report.findings)
    parsed = [json.loads(line) for line in lines]
    for finding in parsed:
        assert not list(finding_validator.iter_errors(finding))
        assert "summary" not in finding
    # The same finding objects as the json report, in the same order.
    assert parsed == json.loads(rendered(report, "json", lang="zh"))["findings"]
    assert parsed[0]["message"] == "标题写的是“1000ml”，但规格容量为 500 ml"
    assert "宁波杯业有限公司" in lines[0]


def test_jsonl_of_a_clean_report_is_empty():
    report = Report(tool=ToolInfo(version="0.1.0"), summary=Summary(products=3), findings=[])
    assert rendered(report, "jsonl") == ""


def test_jsonl_keeps_newlines_inside_values_escaped():
    finding = Finding(
        rule="x/y",
        category=Category.prohibited_claim,
        severity=Severity.warning,
        message="line one\nline two",
        match="最\n佳",
    )
    report = Report(tool=ToolInfo(version="0.1.0"), summary=Summary(), findings=[finding, finding])
    lines = rendered(report, "jsonl").splitlines()
    assert len(lines) == 2
    assert json.loads(lines[1])["match"] == "最\n佳"


def test_json_regional_lang_finds_the_base_language(report):
    data = json.loads(rendered(report, "json", lang="zh-CN"))
    assert data["findings"][0]["message"] == "标题写的是“1000ml”，但规格容量为 500 ml"
