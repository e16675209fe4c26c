"""JSON Schemas of listcheck's file formats (`listcheck schema catalog|rules|report`)."""

from __future__ import annotations

from typing import Any

from listcheck.model import Product
from listcheck.ruleset.schema import PackSpec, RuleSpec

_BASE = "https://listcheck.dev/schemas"


def catalog_schema() -> dict[str, Any]:
    product = Product.model_json_schema()
    defs = product.pop("$defs", {})
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"{_BASE}/catalog-v1.json",
        "title": "listcheck catalog",
        "description": "A list of products, or {products: [...]}.",
        "$defs": {**defs, "Product": product},
        "oneOf": [
            {"type": "array", "items": {"$ref": "#/$defs/Product"}},
            {
                "type": "object",
                "required": ["products"],
                "properties": {"products": {"type": "array", "items": {"$ref": "#/$defs/Product"}}},
            },
        ],
    }


def rules_schema() -> dict[str, Any]:
    pack = PackSpec.model_json_schema()
    rule = RuleSpec.model_json_schema()
    defs = {**pack.pop("$defs", {}), **rule.pop("$defs", {})}
    rule["description"] = (
        "A rule. Keys beyond these are the parameters of its kind (terms, pattern, required, "
        "compare, ...), validated by that kind."
    )
    defs["Rule"] = rule
    pack["properties"]["rules"] = {"type": "array", "items": {"$ref": "#/$defs/Rule"}}
    return {
        **pack,
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"{_BASE}/rules-v1.json",
        "title": "listcheck rule pack",
        "$defs": defs,
    }


def get(name: str) -> dict[str, Any]:
    if name == "catalog":
        return catalog_schema()
    if name == "rules":
        return rules_schema()
    if name == "report":
        from listcheck.report import report_json_schema

        return report_json_schema()
    raise KeyError(name)
