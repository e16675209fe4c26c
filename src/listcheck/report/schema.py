"""The JSON Schema (draft 2020-12) of the JSON report, generated from the pydantic model.

It describes what the json reporter writes (serialization mode): every property of every
object is always present — fields without a value are written as `null` — so all of them are
listed as required. `listcheck schema report` prints it.
"""

from __future__ import annotations

import copy
from typing import Any

from listcheck.model import SCHEMA_VERSION, Report

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
SCHEMA_ID = f"https://listcheck.dev/schemas/report-v{SCHEMA_VERSION}.json"

_FINDING_DESCRIPTIONS = {
    "rule": "The id of the rule that raised the finding (`pack/name`).",
    "sku": "The product's SKU; null for a finding about a whole file.",
    "supplier": "The product's supplier, when the catalog gives one.",
    "field": "The product field the finding is about (title, description, spec.capacity ...).",
    "attribute": "The spec key compared against the text, for spec mismatches.",
    "match": "The exact text that triggered the finding.",
    "also_contradicts": "Other spec keys the same phrase contradicts (one phrase is one finding).",
    "span": "Character offsets of `match` in the original field text (end exclusive).",
    "context": "A window of the field text around the match; start/end locate it inside.",
    "expected": "What the spec, the law or the rule requires.",
    "found": "What the listing actually says or has.",
    "message": "The explanation, in the language the report was written in.",
    "messages": "The explanation in every language the rule provides, keyed by language code.",
    "references": "The law article or platform rule behind the finding.",
    "source": "Where the product was read from; lines (or spreadsheet rows) count from 1.",
    "fingerprint": "Stable across runs and re-orderings; the baseline keys on it.",
    "suppressed": "True when an ignore directive or the config turned the finding off.",
    "suppression_reason": "Why it was suppressed, when a reason was given.",
    "baselined": "True when the finding is in the baseline (known, not counted).",
}


def _require_all_properties(node: dict[str, Any]) -> None:
    properties = node.get("properties")
    if isinstance(properties, dict):
        node["required"] = list(properties)


def report_json_schema() -> dict[str, Any]:
    """The JSON Schema of the JSON report (draft 2020-12), a fresh dict on every call."""
    generated = copy.deepcopy(Report.model_json_schema(mode="serialization"))
    defs: dict[str, Any] = generated.get("$defs", {})

    _require_all_properties(generated)
    for definition in defs.values():
        _require_all_properties(definition)

    generated["properties"]["schema_version"]["const"] = SCHEMA_VERSION
    finding = defs.get("Finding", {})
    for name, description in _FINDING_DESCRIPTIONS.items():
        prop = finding.get("properties", {}).get(name)
        if prop is not None:
            prop.setdefault("description", description)

    generated.pop("title", None)
    generated.pop("description", None)
    schema: dict[str, Any] = {
        "$schema": SCHEMA_DIALECT,
        "$id": SCHEMA_ID,
        "title": "listcheck JSON report",
        "description": (
            "The report `listcheck check --format json` writes: the tool, a summary and the "
            "findings. `listcheck check --format jsonl` writes the same finding objects, one per "
            "line (see $defs/Finding)."
        ),
    }
    schema.update(generated)
    return schema
