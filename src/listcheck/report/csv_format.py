"""CSV: one row per finding, for a spreadsheet.

* UTF-8 **with a BOM** (U+FEFF first), so Excel on Windows opens Chinese text correctly
  (without it Excel guesses the ANSI code page and shows mojibake). Write it to a file opened
  with `encoding="utf-8", newline=""` — the CLI's `--output` does — so the rows keep the csv
  module's CRLF line endings.
* Columns (`COLUMNS`): severity, rule, category, sku, supplier, file, line, field, attribute,
  match, expected, found, message (chosen language), suppressed, baselined, fingerprint,
  reference (the references, "title <url>" joined with "; "). Headers are the column names in
  English whatever the language, so scripts can rely on them. `line` is the row for a
  spreadsheet; the sheet is in `file` as `book.xlsx[sheet]`.
* Formula-injection safe (OWASP "CSV Injection"): a cell that starts with `=`, `+`, `-`, `@`,
  tab, CR or LF — or with their full-width forms (＝＋－＠, which East Asian spreadsheets may
  read as the ASCII ones), or with any of these after leading spaces — gets a leading
  apostrophe, so Excel and LibreOffice show it as text instead of running it. A plain number
  ("-5", "+1.5") is not a formula and is left alone.
"""

from __future__ import annotations

import csv
import json
import re
from typing import Any, Optional, TextIO

from listcheck.model import Finding, Report
from listcheck.report.common import ProductHeader, localized_message
from listcheck.report.presentation import format_value

BOM = "\ufeff"
COLUMNS = (
    "severity",
    "rule",
    "category",
    "sku",
    "supplier",
    "file",
    "line",
    "field",
    "attribute",
    "match",
    "expected",
    "found",
    "confidence",
    "message",
    "suppressed",
    "baselined",
    "fingerprint",
    "reference",
)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")
# What a spreadsheet may trim or not show before it looks for a formula: spaces (ASCII,
# no-break, ideographic), a byte-order mark, zero-width characters and the C0 controls other
# than the tab and line ends (those are formula starts themselves).
_LEADING_SPACES = " \u00a0\u3000\ufeff\u200b\u200c\u200d\u2060" + "".join(
    chr(code) for code in range(0x20) if chr(code) not in "\t\r\n"
)
# A plain number such as "-5" or "+1.5" is no formula: it is left as it is.
_PLAIN_NUMBER = re.compile(r"[+-]?[0-9]+(?:\.[0-9]+)?")


def safe_cell(value: str) -> str:
    """Neutralise a cell a spreadsheet would read as a formula (OWASP CSV injection)."""
    start = value.lstrip(_LEADING_SPACES)
    if start.startswith(_FORMULA_START) and not _PLAIN_NUMBER.fullmatch(start):
        return "'" + value
    return value


def _value(value: Any) -> str:
    # A dict or list stays JSON in a spreadsheet cell, so it can be read back; the rest is
    # written as every format writes it.
    if value is None:
        return ""
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return format_value(value)


def finding_row(finding: Finding, lang: str) -> list[str]:
    source = finding.source
    file = ""
    line = ""
    if source is not None:
        file = source.path + (f"[{source.sheet}]" if source.sheet else "")
        line = str(source.line) if source.line is not None else ""
    references = "; ".join(
        f"{ref.title} <{ref.url}>" if ref.url else ref.title for ref in finding.references
    )
    cells = {
        "severity": finding.severity.value,
        "rule": finding.rule,
        "category": finding.category.value,
        "sku": _value(finding.sku),
        "supplier": _value(finding.supplier),
        "file": file,
        "field": _value(finding.field),
        "attribute": _value(finding.attribute),
        "match": _value(finding.match),
        "expected": _value(finding.expected),
        "found": _value(finding.found),
        "confidence": finding.confidence.value if finding.confidence is not None else "",
        "message": localized_message(finding, lang),
        "suppressed": _value(finding.suppressed),
        "baselined": _value(finding.baselined),
        "fingerprint": finding.fingerprint,
        "reference": references,
    }
    row = [safe_cell(cells[column]) if column != "line" else line for column in COLUMNS]
    return row


def render(
    report: Report,
    out: TextIO,
    *,
    lang: str = "en",
    color: Optional[bool] = None,
    products: Optional[dict[str, ProductHeader]] = None,
) -> None:
    del color, products
    out.write(BOM)
    writer = csv.writer(out)  # excel dialect: quotes as needed, CRLF line endings
    writer.writerow(COLUMNS)
    for finding in report.findings:
        writer.writerow(finding_row(finding, lang))
