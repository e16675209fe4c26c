"""The JUnit reporter: valid against the Apache Ant JUnit XSD; a test case per product."""

from __future__ import annotations

import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from listcheck.findings import assign_fingerprints
from listcheck.model import Category, Finding, Report, Severity, Source, Summary, ToolInfo
from listcheck.policy import summarize
from listcheck.report import FORMATS, ProductHeader, render

xmlschema = pytest.importorskip("xmlschema", reason="xmlschema validates JUnit XML (test extra)")

FIXTURES = Path(__file__).parent / "fixtures" / "report"
# Shipped with the tests (tests/schemas/README.md: sources and licences).
JUNIT_XSD = Path(__file__).parent / "schemas" / "JUnit.xsd"


def load_report(fail_on: str = "error") -> Report:
    report = Report.model_validate_json((FIXTURES / "report.json").read_text(encoding="utf-8"))
    assign_fingerprints(report.findings)
    report.summary = summarize(report.findings, report.summary.products, fail_on)
    return report


def load_products() -> dict[str, ProductHeader]:
    raw = json.loads((FIXTURES / "products.json").read_text(encoding="utf-8"))
    return {
        sku: ProductHeader(sku=sku, title=item.get("title"), supplier=item.get("supplier"),
                           source=Source(**item["source"]))
        for sku, item in raw.items()
    }


def junit(report: Report, **kwargs) -> str:
    out = io.StringIO()
    render(report, "junit", out, **kwargs)
    return out.getvalue()


@pytest.fixture(scope="module")
def schema():
    return xmlschema.XMLSchema(str(JUNIT_XSD))


@pytest.fixture(scope="module")
def xml_text() -> str:
    return junit(load_report(), products=load_products())


@pytest.fixture(scope="module")
def root(xml_text) -> ET.Element:
    return ET.fromstring(xml_text.encode("utf-8"))


def cases(root: ET.Element) -> dict[str, ET.Element]:
    return {case.get("name").split(" ")[0]: case for case in root.iter("testcase")}


def test_registered():
    assert "junit" in FORMATS


@pytest.mark.parametrize("fail_on", ["error", "warning", "info", "never"])
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_validates_against_the_xsd(schema, fail_on, lang):
    text = junit(load_report(fail_on), lang=lang, products=load_products())
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>')
    schema.validate(text)


def test_suites_per_file_cases_per_product(root):
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == [
        "catalog/tmall.yaml", "catalog/amazon.csv", "catalog/jd.xlsx", "listcheck",
    ]
    assert [s.get("id") for s in suites] == ["0", "1", "2", "3"]
    by_name = {s.get("name"): s for s in suites}
    amazon = by_name["catalog/amazon.csv"]
    assert [c.get("name") for c in amazon.findall("testcase")] == [
        "AMZ-2002 Stainless Steel Water Bottle 32 oz, 100% FDA approved, BPA free",
        "(file)",
    ]
    assert {c.get("classname") for c in amazon.findall("testcase")} == {"catalog/amazon.csv"}
    assert amazon.get("tests") == "2" and amazon.get("failures") == "2"
    # 7 products checked, 3 with findings: one passed case stands for the 4 others.
    [others] = by_name["listcheck"].findall("testcase")
    assert others.get("name") == "4 other products without findings"
    assert others.find("failure") is None
    total = sum(int(s.get("tests")) for s in suites)
    assert total == 3 + 1 + 1  # products with findings + the file case + the summary case


def test_failures_at_or_above_threshold(root):
    by_sku = cases(root)
    tm = by_sku["TM-1001"]
    # Title from the products headers, Chinese kept.
    assert tm.get("name").startswith("TM-1001 保温杯 500ml 316不锈钢")
    [failure] = tm.findall("failure")  # the XSD allows one failure per test case
    assert failure.get("type") == "error"
    assert failure.get("message") == (
        "spec-mismatch/capacity: The title says 1000ml but the spec capacity is 500 ml (and 1 more)"
    )
    assert "cn-ad-law/absolute-terms" in failure.text and "最佳" in failure.text
    assert "顶级" not in failure.text  # suppressed: not a failure
    # JD-3003: the error fails it, the info goes to system-out.
    jd = by_sku["JD-3003"]
    assert jd.get("name") == "JD-3003"  # no header given for it: the SKU alone
    assert "acme/bullet-count" not in jd.find("failure").text


def test_system_out_lists_the_rest(root):
    suites = {s.get("name"): s for s in root.findall("testsuite")}
    tmall_out = suites["catalog/tmall.yaml"].find("system-out").text
    assert "suppressed: registered trade name, cleared by legal" in tmall_out
    amazon_out = suites["catalog/amazon.csv"].find("system-out").text
    assert "spec-mismatch/color" in amazon_out  # a warning, below the error threshold
    assert "completeness/images" in amazon_out and "baselined" in amazon_out
    jd_out = suites["catalog/jd.xlsx"].find("system-out").text
    assert "acme/bullet-count" in jd_out and "catalog/jd.xlsx[商品]:5" in jd_out


def test_threshold_moves_failures():
    root = ET.fromstring(junit(load_report("info")).encode())
    amz = cases(root)["AMZ-2002"]
    failure = amz.find("failure")
    assert "spec-mismatch/color" in failure.text  # warning fails at info
    assert "completeness/images" not in failure.text  # baselined never fails
    never = ET.fromstring(junit(load_report("never")).encode())
    assert never.findall(".//failure") == []


def test_hostile_text_is_well_formed(schema):
    nasty = 'bad\x00\x07 ]]> </failure> & "quotes" <tag>\n line'
    finding = Finding(
        rule="x/y", category=Category.input, severity=Severity.error, sku="S\x01K",
        message=nasty, match=nasty, source=Source(path="a\x0bb.csv", line=1),
    )
    report = Report(
        tool=ToolInfo(version="0.1.0"),
        summary=summarize([finding], 1, "error"),
        findings=[finding],
    )
    text = junit(report, products={"S\x01K": ProductHeader(sku="S\x01K", title="t\x1ft")})
    schema.validate(text)
    root = ET.fromstring(text.encode())
    failure = root.find(".//failure")
    assert "]]> </failure> & \"quotes\" <tag>" in failure.text
    assert "\x00" not in text and "\x07" not in text


def test_a_real_run_validates(schema):
    from listcheck import api

    examples = Path(__file__).resolve().parents[1] / "examples"
    run = api.check_run([examples], config=api.load_config(search_from=examples))
    text = junit(run.report, lang="zh", products=run.products)
    schema.validate(text)
    root = ET.fromstring(text.encode())
    # Every product checked is one test case (products with findings, plus the summary case
    # standing for the others) or sits in the file case of an unreadable record.
    skus = {f.sku for f in run.report.findings if f.sku}
    named = [c for c in root.iter("testcase") if c.get("name") != "(file)"]
    others = run.report.summary.products - len(skus)
    assert len(named) == len(skus) + (1 if others > 0 else 0)


def test_no_findings_no_products():
    empty = Report(tool=ToolInfo(version="0.1.0"), summary=Summary(products=0), findings=[])
    root = ET.fromstring(junit(empty).encode())
    assert root.tag == "testsuites" and list(root) == []
