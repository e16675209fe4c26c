"""JUnit XML (the Apache Ant schema CI servers read: Jenkins, GitLab, Azure, CircleCI).

The document is `<testsuites>` with one `<testsuite>` per catalog file (`source.path`, in
order of first finding) and one `<testcase>` per product that has findings
(`classname` = the file, `name` = "SKU title" — the title from the `products` headers when
given). A product *fails* when it has an active (neither suppressed nor baselined) finding at or
above the report's threshold (`summary.fail_on`); `--fail-on never` fails nothing.

What the Ant schema allows shapes the rest:

* a test case holds at most one `<failure>`: its `message` is "rule: message" of the first
  failing finding (plus "(and N more)"), its `type` the highest failing severity, and its body
  lists every failing finding (severity, rule, field, message, matched text, expected/found,
  references, file:line);
* test cases have no `<system-out>` of their own, so each suite's `<system-out>` lists, per
  SKU, the findings below the threshold and the suppressed (with the reason) and baselined
  ones, marked as such;
* findings without a SKU (a whole-file problem such as an unreadable row) are one test case
  named "(file)" in their file's suite;
* the report lists only products with findings. When `summary.products` is larger than the
  number of products with findings, a last suite "listcheck" holds one passed test case,
  "N other products without findings", so the test count is the number of products checked.

Characters XML 1.0 cannot carry (control characters other than tab/newline) are dropped.
"""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from typing import Optional, TextIO

from listcheck.model import Finding, Report
from listcheck.policy import counts_toward_failure
from listcheck.report.common import ProductHeader, confidence_label, format_source, localized_message
from listcheck.report.presentation import format_value, verdict

NO_FILE = "(no file)"
FILE_CASE = "(file)"
OTHER_SUITE = "listcheck"

_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(value: object) -> str:
    """Text XML 1.0 can hold: control characters and lone surrogates removed."""
    return _XML_INVALID.sub("", str(value))


def _token(value: str) -> str:
    """An xs:token: one line, single spaces, no leading/trailing space."""
    return " ".join(xml_text(value).split())




def finding_lines(finding: Finding, lang: str) -> list[str]:
    """A finding as a few plain lines (failure body, system-out)."""
    head = f"[{finding.severity.value}] {finding.rule}"
    if finding.field:
        head += f" ({finding.field})"
    lines = [head + ": " + localized_message(finding, lang)]
    if finding.match:
        lines.append(f"  matched: {finding.match}")
    if finding.expected is not None or finding.found is not None:
        parts = []
        if finding.expected is not None:
            parts.append(f"expected {format_value(finding.expected)}")
        if finding.found is not None:
            parts.append(f"found {format_value(finding.found)}")
        confidence = confidence_label(finding, lang)
        if confidence:
            parts.append(confidence)
        lines.append("  " + ", ".join(parts))
    if finding.suppressed:
        lines.append(f"  suppressed: {finding.suppression_reason or '(no reason given)'}")
    elif finding.baselined:
        lines.append("  baselined")
    elif finding.suppression_reason:
        lines.append(f"  {finding.suppression_reason}")
    for ref in finding.references:
        lines.append(f"  see: {ref.title}" + (f" <{ref.url}>" if ref.url else ""))
    where = format_source(finding.source)
    if where:
        lines.append(f"  at: {where}")
    return lines


class _Case:
    def __init__(self, key: tuple[str, str], name: str) -> None:
        self.key = key
        self.name = name
        self.failing: list[Finding] = []
        self.other: list[Finding] = []


def _timestamp() -> str:
    # The schema's pattern: no fractional seconds, no zone (UTC is implied and documented).
    return dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S")


def junit_tree(
    report: Report,
    *,
    lang: str = "en",
    products: Optional[dict[str, ProductHeader]] = None,
    timestamp: Optional[str] = None,
) -> ET.Element:
    """The `<testsuites>` element (what `render` writes)."""
    products = products or {}
    fail_on = report.summary.fail_on
    timestamp = timestamp or _timestamp()

    suites: dict[str, dict[tuple[str, str], _Case]] = {}
    skus: set[str] = set()
    for finding in report.findings:
        path = finding.source.path if finding.source and finding.source.path else NO_FILE
        if finding.sku is not None:
            skus.add(finding.sku)
            header = products.get(finding.sku)
            title = header.title if header and header.title else None
            key = ("sku", finding.sku)
            name = f"{finding.sku} {title}" if title else finding.sku
        else:
            key = ("file", path)
            name = FILE_CASE
        cases = suites.setdefault(path, {})
        case = cases.get(key)
        if case is None:
            case = cases[key] = _Case(key, name)
        if counts_toward_failure(finding, fail_on):
            case.failing.append(finding)
        else:
            case.other.append(finding)

    root = ET.Element("testsuites")
    suite_id = 0
    for path, cases in suites.items():
        suite = _suite(root, path, suite_id, timestamp, report, lang)
        failures = 0
        out_lines: list[str] = []
        for case in cases.values():
            element = ET.SubElement(
                suite, "testcase", name=_token(case.name) or "?", classname=_token(path), time="0"
            )
            if case.failing:
                failures += 1
                _failure(element, case.failing, lang)
            if case.other:
                label = case.key[1] if case.key[0] == "sku" else f"{FILE_CASE} {path}"
                out_lines.append(f"{label}:")
                for finding in case.other:
                    out_lines.extend("  " + line for line in finding_lines(finding, lang))
        _finish_suite(suite, tests=len(cases), failures=failures, out="\n".join(out_lines))
        suite_id += 1

    others = report.summary.products - len(skus)
    if others > 0:
        suite = _suite(root, OTHER_SUITE, suite_id, timestamp, report, lang)
        noun = "product" if others == 1 else "products"
        ET.SubElement(
            suite,
            "testcase",
            name=f"{others} other {noun} without findings",
            classname=OTHER_SUITE,
            time="0",
        )
        _finish_suite(suite, tests=1, failures=0, out="")
    return root


def _suite(
    root: ET.Element, name: str, suite_id: int, timestamp: str, report: Report, lang: str
) -> ET.Element:
    suite = ET.SubElement(
        root,
        "testsuite",
        name=_token(name) or NO_FILE,
        package=_token(name) or NO_FILE,
        id=str(suite_id),
        timestamp=timestamp,
        hostname="localhost",
        tests="0",
        failures="0",
        errors="0",
        skipped="0",
        time="0",
    )
    properties = ET.SubElement(suite, "properties")
    tool = report.tool
    for key, value in (
        ("tool", f"{tool.name} {tool.version}"),
        ("packs", ", ".join(tool.packs)),
        ("fail_on", report.summary.fail_on),
        *((("max_warnings", str(report.summary.max_warnings)),) if report.summary.max_warnings is not None else ()),
        ("lang", lang),
        # The run's verdict, why it failed included (fail_on, --max-warnings): a suite's
        # failures count only findings at the threshold, and CI shows this line beside them.
        ("verdict", verdict(report, lang)),
    ):
        ET.SubElement(properties, "property", name=key, value=xml_text(value))
    return suite


def _finish_suite(suite: ET.Element, *, tests: int, failures: int, out: str) -> None:
    suite.set("tests", str(tests))
    suite.set("failures", str(failures))
    ET.SubElement(suite, "system-out").text = xml_text(out)
    ET.SubElement(suite, "system-err").text = ""


def _failure(case: ET.Element, failing: list[Finding], lang: str) -> None:
    first = failing[0]
    message = f"{first.rule}: {localized_message(first, lang)}"
    if len(failing) > 1:
        message += f" (and {len(failing) - 1} more)"
    worst = max((f.severity for f in failing), key=lambda s: s.rank)
    body: list[str] = []
    for finding in failing:
        body.extend(finding_lines(finding, lang))
    element = ET.SubElement(case, "failure", message=xml_text(message), type=worst.value)
    element.text = xml_text("\n".join(body))


def render(
    report: Report,
    out: TextIO,
    *,
    lang: str = "en",
    color: Optional[bool] = None,
    products: Optional[dict[str, ProductHeader]] = None,
) -> None:
    del color
    root = junit_tree(report, lang=lang, products=products)
    ET.indent(root, space="  ")
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    out.write(ET.tostring(root, encoding="unicode"))
    out.write("\n")

