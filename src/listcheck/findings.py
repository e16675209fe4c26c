"""Building findings: fingerprints and the `input` findings that loaders emit for bad records."""

from __future__ import annotations

import hashlib
from typing import Any, Iterable, Optional

from listcheck.model import Category, Finding, Severity, Source

# Rule ids of the findings listcheck itself raises about its input (not from any pack).
INPUT_INVALID_RECORD = "input/invalid-record"
INPUT_DUPLICATE_SKU = "input/duplicate-sku"
INPUT_UNREADABLE_ROW = "input/unreadable-row"
INPUT_EMPTY_FILE = "input/empty-file"
SUPPRESSION_WITHOUT_REASON = "input/suppression-without-reason"
# A product's own suppression refused as written (an `expires:` that is no date): not applied.
INVALID_SUPPRESSION = "input/invalid-suppression"


def fingerprint_key(finding: Finding) -> str:
    """What identifies a finding across runs.

    It leaves out the file, the line and the product's position, so re-ordering products,
    reformatting the file or editing another field of the same product keeps it; it keeps the
    rule, the product, the field and the matched text, so fixing the text retires it.
    """
    match = " ".join((finding.match or "").split()).casefold()
    parts = [finding.rule, finding.sku or "", finding.field or "", finding.attribute or "", match]
    if finding.sku is None and finding.source is not None:
        # A finding about a whole file (an empty one, an unreadable row) has no product to key on.
        parts.append(finding.source.path)
        parts.append(str(finding.source.line or ""))
    return "\x1f".join(parts)


def assign_fingerprints(findings: Iterable[Finding]) -> None:
    """Give every finding a stable fingerprint; identical keys are told apart by occurrence."""
    seen: dict[str, int] = {}
    for finding in findings:
        key = fingerprint_key(finding)
        occurrence = seen.get(key, 0)
        seen[key] = occurrence + 1
        digest = hashlib.sha256(f"{key}\x1e{occurrence}".encode("utf-8")).hexdigest()
        finding.fingerprint = digest[:32]


def input_finding(
    rule: str,
    *,
    en: str,
    zh: str,
    source: Optional[Source],
    sku: Optional[str] = None,
    supplier: Optional[str] = None,
    field: Optional[str] = None,
    severity: Severity = Severity.error,
) -> Finding:
    """A finding about the catalog itself: the record is skipped, the run goes on."""
    return Finding(
        rule=rule,
        category=Category.input,
        severity=severity,
        sku=sku,
        supplier=supplier,
        field=field,
        message=en,
        messages={"en": en, "zh": zh},
        source=source,
    )


def format_value(value: Any) -> str:
    """A spec or policy value for people, the same in every format: {cotton: 65} -> "cotton: 65",
    lists joined, 2.0 -> 2, a boolean as true / false."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dict):
        return ", ".join(f"{key}: {format_value(item)}" for key, item in value.items())
    if isinstance(value, (list, tuple, set)):
        return ", ".join(format_value(item) for item in value)
    return str(value)
