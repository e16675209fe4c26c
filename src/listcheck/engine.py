"""Compile rules once and check products with them.

Checks are pure functions of one product, so a catalog splits into chunks that workers check
independently (`listcheck.pipeline` runs an Engine over a catalog, serially or in a pool).
"""

from __future__ import annotations

import re
from typing import Any, Sequence, Union

from listcheck.checks.base import CheckKind, CheckTimeout, Hit
from listcheck.config import IgnoreEntry
from listcheck.findings import assign_fingerprints
from listcheck.limits import DEFAULT_LIMITS, Limits
from listcheck.model import Category, Context, Finding, Product, Severity, Span
from listcheck.policy import Suppressor
from listcheck.ruleset.loader import LoadedRule
from listcheck.ruleset.registry import get_kind
from listcheck.ruleset.when import WhenFilter, placement_of
from listcheck.text.fields import texts_longer_than
from listcheck.text.normalize import context_window

RULE_TIMEOUT = "input/rule-timeout"
FIELD_TOO_LONG = "input/field-too-long"
_PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")

Item = Union[Product, Finding]


def format_message(template: str, values: dict[str, Any]) -> str:
    """Fill {placeholders}; unknown ones stay as written (a pack typo must not crash a run)."""

    def replace(found: re.Match) -> str:
        value = values.get(found.group(1))
        if value is None:
            return found.group(0)
        return _display(value)

    return _PLACEHOLDER.sub(replace, template)


def _display(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (list, tuple)):
        return ", ".join(_display(v) for v in value)
    return str(value)


class Engine:
    """Compiled rules, ready to check products."""

    def __init__(
        self,
        rules: Sequence[LoadedRule],
        limits: Limits = DEFAULT_LIMITS,
        ignores: Sequence[IgnoreEntry] = (),
    ) -> None:
        self.rules = list(rules)
        self.limits = limits
        self.suppressor = Suppressor(ignores)
        self.checks: list[CheckKind] = []
        for rule in self.rules:
            kind = get_kind(rule.spec.kind)
            assert kind is not None  # the loader already rejected unknown kinds
            self.checks.append(kind(rule.spec, rule.params, limits))
        # Kinds that match many rules at once (terms) run as one batch per kind.
        self.batches: list[tuple[Any, list[int]]] = []
        self.single: list[int] = []
        by_kind: dict[type, list[int]] = {}
        for index, check in enumerate(self.checks):
            by_kind.setdefault(type(check), []).append(index)
        for kind, indexes in by_kind.items():
            batch = kind.batch([self.checks[i] for i in indexes])
            if batch is None:
                self.single.extend(indexes)
            else:
                self.batches.append((batch, indexes))
        self.single.sort()
        # Rules with the same `when` are decided together; the placement part of each `when`
        # (category, platform, market, locale) once per distinct placement, not per product.
        groups: dict[str, list[int]] = {}
        for index, rule in enumerate(self.rules):
            key = rule.spec.when.model_dump_json() if rule.spec.when else ""
            groups.setdefault(key, []).append(index)
        self._when_groups = [
            (WhenFilter(self.rules[indexes[0]].spec.when), frozenset(indexes)) for indexes in groups.values()
        ]
        self._placement_cache: dict[tuple, list[tuple[WhenFilter, frozenset[int]]]] = {}
        # Rules that compare a spec value, grouped by the spec keys they need (see
        # CheckKind.spec_keys): a product without any of those keys skips the whole group.
        gated: dict[tuple[str, ...], set[int]] = {}
        for index, check in enumerate(self.checks):
            keys = check.spec_keys()
            if keys:
                roots = tuple(dict.fromkeys(key.split(".")[0] for key in keys))
                gated.setdefault(roots, set()).add(index)
        self._spec_gates = [(roots, frozenset(indexes)) for roots, indexes in gated.items()]

    def check_product(self, product: Product) -> list[Finding]:
        active = self._active_rules(product)
        hits: list[tuple[int, Hit]] = []
        timeouts: list[tuple[int, str]] = []
        for batch, indexes in self.batches:
            local_active = [pos for pos, index in enumerate(indexes) if index in active]
            if local_active:
                for pos, hit in batch.run(product, local_active):
                    hits.append((indexes[pos], hit))
        for index in self.single:
            if index not in active:
                continue
            try:
                hits.extend((index, hit) for hit in self.checks[index].check(product))
            except CheckTimeout as exc:
                timeouts.append((index, exc.field))
        hits.sort(key=lambda item: item[0])  # stable: rule order, then the order the check found them
        findings = [self._finding(self.rules[index], product, hit) for index, hit in hits]
        findings.extend(self._timeout_finding(self.rules[i], product, field) for i, field in timeouts)
        findings.extend(self._too_long_findings(product))
        self.suppressor.apply(product, findings)
        findings.extend(self.suppressor.reasonless(product))
        assign_fingerprints(findings)
        return findings

    def check_item(self, item: Item) -> list[Finding]:
        if isinstance(item, Finding):
            self.suppressor.apply(None, [item])
            assign_fingerprints([item])
            return [item]
        return self.check_product(item)

    def _active_rules(self, product: Product) -> set[int]:
        placement = placement_of(product)
        groups = self._placement_cache.get(placement)
        if groups is None:
            groups = [(f, indexes) for f, indexes in self._when_groups if f.placement_allows(*placement)]
            if len(self._placement_cache) > 4096:
                self._placement_cache.clear()
            self._placement_cache[placement] = groups
        active: set[int] = set()
        for when_filter, indexes in groups:
            if not when_filter.reads_fields or when_filter.fields_allow(product):
                active |= indexes
        spec = product.spec
        for roots, indexes in self._spec_gates:
            if all(spec.get(root) is None for root in roots):
                active -= indexes
        return active

    def _finding(self, rule: LoadedRule, product: Product, hit: Hit) -> Finding:
        spec = rule.spec
        values: dict[str, Any] = {
            "sku": product.sku,
            "title": product.title,
            "field": hit.field,
            "match": hit.match,
            "attribute": hit.attribute or spec.attribute,
            "expected": hit.expected,
            "found": hit.found,
        }
        values.update(hit.values)
        if isinstance(spec.message, str):
            messages = {"en": format_message(spec.message, values)}
        else:
            messages = {"en": format_message(spec.message.en, values)}
            if spec.message.zh:
                messages["zh"] = format_message(spec.message.zh, values)
        span = context = None
        if hit.start is not None and hit.end is not None:
            span = Span(start=hit.start, end=hit.end)
            if hit.text is not None:
                window, start, end = context_window(hit.text, hit.start, hit.end)
                context = Context(text=window, start=start, end=end)
        return Finding(
            rule=spec.id,
            category=spec.category,
            severity=spec.severity,
            sku=product.sku,
            supplier=product.supplier,
            field=hit.field,
            attribute=hit.attribute or spec.attribute,
            match=hit.match,
            span=span,
            context=context,
            expected=hit.expected,
            found=hit.found,
            message=messages["en"],
            messages=messages,
            references=list(spec.references),
            source=product.source,
        )

    def _timeout_finding(self, rule: LoadedRule, product: Product, field: str) -> Finding:
        en = (
            f"Rule {rule.spec.id} took longer than {self.limits.regex_timeout}s on {field} and was "
            "stopped; its pattern may backtrack catastrophically"
        )
        zh = f"规则 {rule.spec.id} 在字段 {field} 上超过 {self.limits.regex_timeout} 秒，已中止；其正则可能存在灾难性回溯"
        return Finding(
            rule=RULE_TIMEOUT, category=Category.input, severity=Severity.warning,
            sku=product.sku, supplier=product.supplier, field=field,
            message=en, messages={"en": en, "zh": zh}, source=product.source,
        )

    def _too_long_findings(self, product: Product) -> list[Finding]:
        """A warning for each text over limits.max_field_chars: checks read only its start, so
        a claim further on goes unseen, and the merchandiser should know."""
        limit = self.limits.max_field_chars
        found = []
        for label, length in texts_longer_than(product, limit):
            en = (
                f"{label} is {length:,} characters, over the limit of {limit:,} "
                f"(limits.max_field_chars); only its first {limit:,} characters were checked"
            )
            zh = f"{label} 有 {length:,} 个字符，超过上限 {limit:,}（limits.max_field_chars）；只检查了前 {limit:,} 个字符"
            found.append(Finding(
                rule=FIELD_TOO_LONG, category=Category.input, severity=Severity.warning,
                sku=product.sku, supplier=product.supplier, field=label,
                message=en, messages={"en": en, "zh": zh}, source=product.source,
            ))
        return found
