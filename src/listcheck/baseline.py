"""The baseline: the findings a team has accepted for now, so CI fails only on new ones.

    data = create_baseline(report)               # listcheck baseline create … -o FILE
    save_baseline(data, "listcheck-baseline.json")
    run = api.check_run(paths, baseline=load_baseline("listcheck-baseline.json"))
    run.report.summary.baselined, run.baseline_fixed   # "12 baselined, 3 fixed since the baseline"

Applying a baseline is part of the policy stage (`policy.PolicyStage`), as suppressions are,
so a streamed run, a JSON run and a Dask run mark and count baselined findings alike.

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
from pathlib import Path
from typing import Any, Union

from listcheck.errors import ListcheckError
from listcheck.limits import DEFAULT_LIMITS
from listcheck.model import Report

BASELINE_SCHEMA_VERSION = 1


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


def load_baseline(path: Union[str, Path], *, max_bytes: int = DEFAULT_LIMITS.max_document_bytes) -> set[str]:
    """The fingerprints in a baseline file; ListcheckError naming the file when it is unusable.

    The one reader of baseline files (`check --baseline` goes through it): whatever is at
    `path` (a FIFO, a device, a file of the wrong shape) gives one error naming the file, never
    a hang or a crash. `max_bytes`: the file is parsed in one piece, so it is bounded like a
    JSON catalog (limits.max_document_bytes)."""
    where = str(path)
    target = Path(path)
    # As for configs and rule packs: only a regular file is opened (a FIFO would block in
    # open() forever, /dev/zero would be read until memory runs out).
    if not target.is_file():
        if not target.exists():
            raise ListcheckError("baseline file not found", path=where)
        raise ListcheckError(
            "not a regular file; a baseline is a JSON file written by `listcheck baseline create`",
            path=where,
        )
    try:
        size = target.stat().st_size
    except OSError as exc:
        raise ListcheckError(f"cannot read the baseline: {exc.strerror or exc}", path=where) from None
    if size > max_bytes:
        raise ListcheckError(
            f"the baseline is {size:,} bytes, over the limit of {max_bytes:,} for a JSON document "
            "read in one piece (limits.max_document_bytes)",
            path=where,
        )
    # The bounded read and UTF-8 decoding the rule-pack and config loaders use (bytes only,
    # nothing is parsed as YAML); its bound also stops a file that grew since the stat above.
    from listcheck.ruleset.yaml_lines import read_yaml_text

    text = read_yaml_text(target, ListcheckError, max_bytes)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ListcheckError(
            f"the baseline is not valid JSON: {exc.msg}", path=where, line=exc.lineno
        ) from None
    except RecursionError:
        raise ListcheckError(
            "the baseline is nested too deeply to be a listcheck baseline", path=where
        ) from None
    except ValueError:
        # json.loads raises a plain ValueError only for an integer longer than Python
        # converts (4,300 digits by default).
        raise ListcheckError(
            "the baseline holds a number too long to read; it is not a listcheck baseline",
            path=where,
        ) from None
    return _fingerprints(data, where)


def _fingerprints(data: Any, where: str) -> set[str]:
    """Check the shape of a parsed baseline; its fingerprints."""
    if not isinstance(data, dict):
        raise ListcheckError("a baseline is a JSON object with a `findings` list", path=where)
    version = data.get("schema_version")
    # `type(...) is int`: JSON `true` and `1.0` equal 1 in Python but are not a version.
    if type(version) is not int or version != BASELINE_SCHEMA_VERSION:
        raise ListcheckError(
            f"unsupported baseline schema_version {_shown(version)} (this listcheck reads "
            f"{BASELINE_SCHEMA_VERSION}); re-create it with `listcheck baseline create`",
            path=where,
        )
    tool = data.get("tool")
    if tool is not None and not isinstance(tool, dict):
        raise ListcheckError("`tool` must be an object", path=where, field="tool")
    created = data.get("created")
    if created is not None and not isinstance(created, str):
        raise ListcheckError("`created` must be a date written as text", path=where, field="created")
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
        for key in _ENTRY_TEXT:
            value = entry.get(key)
            if value is not None and not isinstance(value, str):
                raise ListcheckError(
                    f"`{key}` must be text or null, not {_shown(value)}",
                    path=where,
                    field=f"findings[{index}]",
                )
        fingerprints.add(fingerprint)
    return fingerprints


# The fields of an entry that are there for people reading the file (create_baseline writes them).
_ENTRY_TEXT = ("rule", "sku", "field", "match")


def _shown(value: Any, limit: int = 40) -> str:
    """A value for an error line: JSON spelling, cut short (a schema_version can be a megabyte)."""
    if isinstance(value, (dict, list)):
        return "an object" if isinstance(value, dict) else "a list"
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= limit else text[: limit - 1] + "…"
