"""The baseline: the findings a team has accepted for now, so CI fails only on new ones.

    data = create_baseline(report)               # listcheck baseline create … -o FILE
    save_baseline(data, "listcheck-baseline.json")
    result = apply_baseline(report, load_baseline("listcheck-baseline.json"))
    result.baselined, result.fixed                # "12 baselined, 3 fixed since the baseline"

The file is JSON, sorted and stable so it diffs well in review:

    {"schema_version": 1,
     "tool": {"name": "listcheck", "version": "0.1.0"},
     "created": "2026-05-01",
     "findings": [{"fingerprint": "…", "rule": "…", "sku": "…", "field": "…", "match": "…"}]}

Only `fingerprint` matters when applying it; rule, sku, field and match are there for people
reading the file. Fingerprints (`findings.fingerprint_key`) leave out the file, the line and
the product's position, so re-ordering products, reformatting the catalog or editing another
field of the product keeps a finding baselined; changing the matched text retires it.

Suppressed findings are not written to a baseline (the suppression already covers them);
baselined findings are (they are still there), so re-creating a baseline from a baseline run
keeps every entry that is still unfixed.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Union

from listcheck.errors import ListcheckError
from listcheck.model import Report
from listcheck.policy import summarize

BASELINE_SCHEMA_VERSION = 1


@dataclass(frozen=True)
class BaselineResult:
    """What applying a baseline did: findings now marked baselined, entries no longer found."""

    baselined: int
    fixed: int


def create_baseline(report: Report, *, today: dt.date | None = None) -> dict[str, Any]:
    """The baseline of `report`: every finding that is not suppressed, sorted."""
    entries = []
    seen: set[str] = set()
    for finding in report.findings:
        if finding.suppressed or not finding.fingerprint or finding.fingerprint in seen:
            continue
        seen.add(finding.fingerprint)
        entries.append(
            {
                "fingerprint": finding.fingerprint,
                "rule": finding.rule,
                "sku": finding.sku,
                "field": finding.field,
                "match": finding.match,
            }
        )
    entries.sort(
        key=lambda e: (e["rule"], e["sku"] or "", e["field"] or "", e["match"] or "", e["fingerprint"])
    )
    return {
        "schema_version": BASELINE_SCHEMA_VERSION,
        "tool": {"name": report.tool.name, "version": report.tool.version},
        "created": (today or dt.date.today()).isoformat(),
        "findings": entries,
    }


def save_baseline(data: dict[str, Any], path: Union[str, Path]) -> None:
    """Write the baseline as UTF-8 JSON (atomically: a reader never sees half a file)."""
    target = Path(path)
    text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    folder = target.parent if str(target.parent) else Path(".")
    try:
        fd, temp = tempfile.mkstemp(dir=folder, prefix=".listcheck-baseline-", suffix=".tmp")
    except OSError as exc:
        raise ListcheckError(f"cannot write the baseline: {exc.strerror}", path=str(target)) from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        os.replace(temp, target)
    except OSError as exc:
        try:
            os.unlink(temp)
        except OSError:
            pass
        raise ListcheckError(f"cannot write the baseline: {exc.strerror}", path=str(target)) from None


def load_baseline(path: Union[str, Path]) -> set[str]:
    """The fingerprints in a baseline file; ListcheckError naming the file when it is unusable."""
    where = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ListcheckError("baseline file not found", path=where) from None
    except UnicodeDecodeError:
        raise ListcheckError("the baseline is not UTF-8 text", path=where) from None
    except OSError as exc:
        raise ListcheckError(f"cannot read the baseline: {exc.strerror}", path=where) from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ListcheckError(
            f"the baseline is not valid JSON: {exc.msg}", path=where, line=exc.lineno
        ) from None
    if not isinstance(data, dict):
        raise ListcheckError("a baseline is a JSON object with a `findings` list", path=where)
    version = data.get("schema_version")
    if version != BASELINE_SCHEMA_VERSION:
        raise ListcheckError(
            f"unsupported baseline schema_version {version!r} (this listcheck reads "
            f"{BASELINE_SCHEMA_VERSION}); re-create it with `listcheck baseline create`",
            path=where,
        )
    findings = data.get("findings")
    if not isinstance(findings, list):
        raise ListcheckError("`findings` must be a list", path=where, field="findings")
    fingerprints: set[str] = set()
    for index, entry in enumerate(findings):
        fingerprint = entry.get("fingerprint") if isinstance(entry, dict) else None
        if not isinstance(fingerprint, str) or not fingerprint.strip():
            raise ListcheckError(
                "each entry needs a non-empty string `fingerprint`",
                path=where,
                field=f"findings[{index}]",
            )
        fingerprints.add(fingerprint)
    return fingerprints


def apply_baseline(report: Report, fingerprints: Iterable[str]) -> BaselineResult:
    """Mark the findings whose fingerprint is in the baseline as baselined; recompute the summary.

    Suppressed findings stay suppressed (and are not counted as baselined). `fixed` counts the
    baseline entries that match no finding of the report any more. The summary keeps the
    report's fail threshold and product count; baselined findings never fail the run.
    """
    known = set(fingerprints)
    present: set[str] = set()
    baselined = 0
    for finding in report.findings:
        if finding.fingerprint:
            present.add(finding.fingerprint)
        matched = bool(finding.fingerprint) and finding.fingerprint in known
        finding.baselined = matched and not finding.suppressed
        if finding.baselined:
            baselined += 1
    report.summary = summarize(report.findings, report.summary.products, report.summary.fail_on)
    return BaselineResult(baselined=baselined, fixed=len(known - present))
