"""SARIF 2.1.0: what code-scanning tools (GitHub code scanning, Azure DevOps, IDE viewers) read.

One run; `tool.driver.rules` has one entry per rule that has findings (in order of first
finding), and every finding is one `result`:

* `ruleId` / `ruleIndex`, `level` (error → error, warning → warning, info → note),
  `message.text` in the chosen language (non-ASCII kept: the document is UTF-8);
* `locations[0].physicalLocation`: `artifactLocation.uri` is the catalog path, relative, with
  forward slashes and percent-encoded as RFC 3986 asks (`uriBaseId: "%SRCROOT%"`; an absolute
  path becomes a `file:` URI without a base), and `region.startLine` is the product's line
  (no region when the line is unknown). For a spreadsheet the line is the row and the sheet is
  a `logicalLocations` entry (`kind: "resource"`) and `properties.sheet`. The product itself is a
  logical location too (`kind: "object"`, `fullyQualifiedName` `SKU.field`);
* `partialFingerprints: {"listcheck/v1": fingerprint}` — the same fingerprint the baseline uses,
  so a code-scanning tool tracks an alert across runs, re-orderings and reformatting;
* `properties`: sku, supplier, field, attribute, match, expected, found, category, and the
  suppression note of an expired suppression;
* a suppressed finding has `suppressions: [{kind: "external", status: "accepted",
  justification: reason}]` — a `Finding` does not say whether the config or the product's
  own `listcheck.ignore` suppressed it, and both live outside the analysed text's syntax, so
  both are reported as "external";
* a baselined finding has `baselineState: "unchanged"`; other results carry no baselineState
  (a report does not record whether a baseline was applied, so "new" would be a guess).

Rule metadata is what findings carry: `shortDescription` is the rule id and its category,
`fullDescription` the (first) finding's message, `help` the message plus the references
(markdown with links), `helpUri` the first reference with a URL, `defaultConfiguration.level`
the highest severity the rule's findings have, `properties.tags` the category and pack.
"""

from __future__ import annotations

import json
import re
from pathlib import PurePosixPath, PureWindowsPath
from typing import Any, Optional, TextIO
from urllib.parse import quote

from listcheck.model import Finding, Report, Severity, Source
from listcheck.report.common import ProductHeader, localized_message

SARIF_VERSION = "2.1.0"
SARIF_SCHEMA = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
INFORMATION_URI = "https://listcheck.dev"
FINGERPRINT_KEY = "listcheck/v1"
SRCROOT = "%SRCROOT%"

LEVELS = {Severity.error: "error", Severity.warning: "warning", Severity.info: "note"}
# GitHub code scanning's own severity scale for non-security alerts.
PROBLEM_SEVERITY = {Severity.error: "error", Severity.warning: "warning", Severity.info: "recommendation"}


def artifact_location(path: str) -> dict[str, str]:
    """`{uri, uriBaseId}` for a relative catalog path, `{uri}` (file:) for an absolute one."""
    windows = PureWindowsPath(path)
    if windows.is_absolute() or path.startswith(("\\\\", "//")):
        # C:\data\x.csv or a UNC path: an absolute file: URI with forward slashes.
        posix = windows.as_posix()
        if posix.startswith("//"):
            return {"uri": "file:" + quote(posix, safe="/:")}
        return {"uri": "file:///" + quote(posix, safe="/:")}
    posix_path = path.replace("\\", "/")
    if PurePosixPath(posix_path).is_absolute():
        return {"uri": "file://" + quote(posix_path, safe="/")}
    while posix_path.startswith("./"):
        posix_path = posix_path[2:]
    # quote() percent-encodes UTF-8 (Chinese file names), spaces, '#', '?' and '%' itself;
    # a ':' in the first segment would read as a scheme, so it is encoded too.
    return {"uri": quote(posix_path, safe="/"), "uriBaseId": SRCROOT}


def _rule_name(rule_id: str) -> str:
    """cn-ad-law/absolute-terms -> AbsoluteTerms (SARIF `name` is an identifier-like label)."""
    last = rule_id.rsplit("/", 1)[-1]
    words = [w for w in re.split(r"[^0-9A-Za-z]+", last) if w]
    return "".join(w[:1].upper() + w[1:] for w in words) or rule_id


_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|~])")


def _md(text: str) -> str:
    """Plain text inside markdown: characters that would start markup are escaped."""
    return _MD_SPECIAL.sub(r"\\\1", text)


def _references_markdown(finding: Finding) -> str:
    lines = []
    for ref in finding.references:
        title = _md(ref.title)
        lines.append(f"- [{title}]({ref.url})" if ref.url else f"- {title}")
    return "\n".join(lines)


def _rule_descriptor(rule_id: str, findings: list[Finding], lang: str) -> dict[str, Any]:
    first = findings[0]
    severity = max((f.severity for f in findings), key=lambda s: s.rank)
    message = localized_message(first, lang)
    category = first.category.value
    pack = rule_id.split("/", 1)[0] if "/" in rule_id else None

    refs_text = "; ".join(
        f"{ref.title} <{ref.url}>" if ref.url else ref.title for ref in first.references
    )
    help_text = message + (f"\nReferences: {refs_text}" if refs_text else "")
    help_md = f"**{_md(rule_id)}** ({category}): {_md(message)}"
    refs_md = _references_markdown(first)
    if refs_md:
        help_md += "\n\nReferences:\n\n" + refs_md

    descriptor: dict[str, Any] = {
        "id": rule_id,
        "name": _rule_name(rule_id),
        "shortDescription": {"text": f"{rule_id} ({category})"},
        "fullDescription": {"text": message},
        "help": {"text": help_text, "markdown": help_md},
    }
    help_uri = next((ref.url for ref in first.references if ref.url), None)
    if help_uri:
        descriptor["helpUri"] = help_uri
    descriptor["defaultConfiguration"] = {"level": LEVELS[severity]}
    tags = [category] + ([pack] if pack and pack != category else [])
    descriptor["properties"] = {
        "category": category,
        "tags": tags,
        "problem.severity": PROBLEM_SEVERITY[severity],
    }
    return descriptor


def _locations(finding: Finding) -> list[dict[str, Any]]:
    source: Optional[Source] = finding.source
    logical: list[dict[str, Any]] = []
    if source is not None and source.sheet:
        logical.append({"name": source.sheet, "kind": "resource"})
    if finding.sku is not None:
        qualified = f"{finding.sku}.{finding.field}" if finding.field else finding.sku
        logical.append({"name": finding.sku, "fullyQualifiedName": qualified, "kind": "object"})
    location: dict[str, Any] = {}
    if source is not None and source.path:
        physical: dict[str, Any] = {"artifactLocation": artifact_location(source.path)}
        if source.line is not None and source.line >= 1:
            physical["region"] = {"startLine": source.line}
        location["physicalLocation"] = physical
    if logical:
        location["logicalLocations"] = logical
    return [location] if location else []


def _properties(finding: Finding) -> dict[str, Any]:
    props: dict[str, Any] = {"category": finding.category.value}
    for key in ("sku", "supplier", "field", "attribute", "match", "expected", "found"):
        value = getattr(finding, key)
        if value is not None:
            props[key] = value
    if finding.confidence is not None:
        props["confidence"] = finding.confidence.value
    if finding.source is not None and finding.source.sheet:
        props["sheet"] = finding.source.sheet
    if not finding.suppressed and finding.suppression_reason:
        # An expired suppression: active again, and says why.
        props["suppressionNote"] = finding.suppression_reason
    return props


def _result(finding: Finding, rule_index: int, lang: str) -> dict[str, Any]:
    result: dict[str, Any] = {
        "ruleId": finding.rule,
        "ruleIndex": rule_index,
        "level": LEVELS[finding.severity],
        "message": {"text": localized_message(finding, lang)},
    }
    locations = _locations(finding)
    if locations:
        result["locations"] = locations
    if finding.fingerprint:
        result["partialFingerprints"] = {FINGERPRINT_KEY: finding.fingerprint}
    if finding.suppressed:
        suppression: dict[str, Any] = {"kind": "external", "status": "accepted"}
        if finding.suppression_reason:
            suppression["justification"] = finding.suppression_reason
        result["suppressions"] = [suppression]
    if finding.baselined:
        result["baselineState"] = "unchanged"
    result["properties"] = _properties(finding)
    return result


def sarif_log(report: Report, *, lang: str = "en") -> dict[str, Any]:
    """The SARIF log as a Python object (what `render` writes)."""
    by_rule: dict[str, list[Finding]] = {}
    for finding in report.findings:
        by_rule.setdefault(finding.rule, []).append(finding)
    rule_index = {rule_id: index for index, rule_id in enumerate(by_rule)}
    rules = [_rule_descriptor(rule_id, found, lang) for rule_id, found in by_rule.items()]
    results = [_result(f, rule_index[f.rule], lang) for f in report.findings]

    driver: dict[str, Any] = {
        "name": report.tool.name,
        "version": report.tool.version,
        "informationUri": INFORMATION_URI,
        "rules": rules,
    }
    if re.fullmatch(r"\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.+-]*)?", report.tool.version):
        driver["semanticVersion"] = report.tool.version
    summary = report.summary
    run: dict[str, Any] = {
        "tool": {"driver": driver},
        "invocations": [
            {
                "executionSuccessful": True,
                "properties": {"failOn": summary.fail_on, "failed": summary.failed},
            }
        ],
        "results": results,
        "columnKind": "unicodeCodePoints",
        "properties": {
            "config": report.tool.config,
            "packs": list(report.tool.packs),
            "summary": summary.model_dump(mode="json"),
        },
    }
    return {"$schema": SARIF_SCHEMA, "version": SARIF_VERSION, "runs": [run]}


def render(
    report: Report,
    out: TextIO,
    *,
    lang: str = "en",
    color: Optional[bool] = None,
    products: Optional[dict[str, ProductHeader]] = None,
) -> None:
    del color, products  # the SARIF log carries what the findings carry
    out.write(json.dumps(sarif_log(report, lang=lang), ensure_ascii=False, indent=2))
    out.write("\n")
