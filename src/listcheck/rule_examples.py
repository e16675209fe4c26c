"""Running every rule's own examples (`listcheck rules test`), as sqlfluff runs its rule cases.

Each `invalid` example must raise the rule at least once; each `valid` one must not. An
example is a partial product: it gets a sku if it has none. An invalid example may say what
and where it expects (`expect: {match: 最舒适, field: title}`): one finding must then have that
matched text and that field.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

from pydantic import ValidationError

from listcheck.engine import Engine
from listcheck.model import Product, Source
from listcheck.ruleset.loader import LoadedRule


@dataclass
class ExampleFailure:
    rule: LoadedRule
    kind: str  # "invalid" or "valid"
    index: int
    example: dict[str, Any]
    reason: str


@dataclass
class ExampleResults:
    rules: int = 0
    examples: int = 0
    failures: list[ExampleFailure] | None = None


def run_examples(rules: Sequence[LoadedRule]) -> ExampleResults:
    results = ExampleResults(failures=[])
    assert results.failures is not None
    for rule in rules:
        results.rules += 1
        engine = Engine([rule])
        for kind in ("invalid", "valid"):
            for index, example in enumerate(getattr(rule.spec.examples, kind)):
                results.examples += 1
                failure = _run_one(engine, rule, kind, index, example)
                if failure is not None:
                    results.failures.append(failure)
    return results


def _run_one(engine: Engine, rule: LoadedRule, kind: str, index: int, example: dict) -> ExampleFailure | None:
    expect = example.get("expect") or {}
    data = {"sku": f"example-{kind}-{index + 1}", **{key: value for key, value in example.items() if key != "expect"}}
    try:
        product = Product.model_validate(data)
    except ValidationError as exc:
        return ExampleFailure(rule, kind, index, example, f"not a valid product: {exc.errors()[0]['msg']}")
    product._source = Source(path=rule.path, line=rule.line)
    findings = [f for f in engine.check_product(product) if f.rule == rule.spec.id]
    if kind == "invalid" and not findings:
        return ExampleFailure(rule, kind, index, example, "expected a finding, got none")
    if expect and not any(all(getattr(f, key) == value for key, value in expect.items()) for f in findings):
        wanted = ", ".join(f"{key} {value!r}" for key, value in expect.items())
        got = "; ".join(f"match {f.match!r}, field {f.field!r}" for f in findings)
        return ExampleFailure(rule, kind, index, example, f"expected a finding with {wanted}, got {got}")
    if kind == "valid" and findings:
        matched = ", ".join(repr(f.match) if f.match else (f.field or "?") for f in findings)
        return ExampleFailure(rule, kind, index, example, f"expected no finding, got {len(findings)}: {matched}")
    return None
