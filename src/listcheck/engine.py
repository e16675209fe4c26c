"""Compile rules once and check products with them.

Checks are pure functions of one product, so a catalog splits into chunks that workers check
independently (`listcheck.pipeline` runs an Engine over a catalog, serially or in a pool).
"""

from __future__ import annotations

import re
from typing import Any, NamedTuple, Optional, Sequence, Union

from listcheck.checks.base import CheckKind, CheckTimeout, Hit
from listcheck.findings import assign_fingerprints, format_value
from listcheck.limits import DEFAULT_LIMITS, Limits
from listcheck.model import Category, Confidence, Context, Finding, Product, Severity, Span
from listcheck.policy import own_suppression_problems
from listcheck.ruleset.loader import LoadedRule
from listcheck.checks.registry import get_kind
from listcheck.ruleset.when import FieldTests, WhenFilter, placement_of, prefixes_under
from listcheck.text.exemptions import Exemptions
from listcheck.text.fields import texts_longer_than
from listcheck.text.normalize import context_window

RULE_TIMEOUT = "input/rule-timeout"
FIELD_TOO_LONG = "input/field-too-long"
_PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")

Item = Union[Product, Finding]


class _Plan(NamedTuple):
    """What runs for one set of active rules."""

    batches: list[tuple[Any, list[int], list[int]]]  # (batch, its rule indexes, active positions)
    single: list[int]  # the other active rules, in rule order


# What the values filled into one message may add up to. A pack's message is the pack
# author's, the values are the supplier's: `{title}` written 2,000 times over a 100 KB title
# made a 200 MB message. Past the budget a placeholder becomes "…".
MAX_FILLED_CHARS = 4_000


def format_message(template: str, values: dict[str, Any]) -> str:
    """Fill {placeholders}; unknown ones stay as written (a pack typo must not crash a run)."""
    budget = [MAX_FILLED_CHARS]

    def replace(found: re.Match) -> str:
        value = values.get(found.group(1))
        if value is None:
            return found.group(0)
        text = format_value(value)
        if len(text) > budget[0]:
            text = text[: budget[0]] + "…"
        budget[0] = max(0, budget[0] - len(text))
        return text

    return _PLACEHOLDER.sub(replace, template)




class Engine:
    """Compiled rules, ready to check products."""

    def __init__(
        self,
        rules: Sequence[LoadedRule],
        limits: Limits = DEFAULT_LIMITS,
        min_confidence: Optional[Confidence] = None,
    ) -> None:
        self.rules = list(rules)
        self.limits = limits
        # Hits bound to the spec less firmly than this are not reported (None: all of them).
        self.min_confidence = min_confidence
        self._min_rank = min_confidence.rank if min_confidence is not None else 0
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
        # Which rules apply to a product is kept as a bit mask (bit i: rule i). Rules with the
        # same `when` are decided together; the placement part of each `when` (category,
        # platform, market, locale) once per distinct placement, not per product.
        groups: dict[str, int] = {}
        for index, rule in enumerate(self.rules):
            key = rule.spec.when.model_dump_json() if rule.spec.when else ""
            groups[key] = groups.get(key, 0) | 1 << index
        self._when_groups = [
            (WhenFilter(self.rules[(mask & -mask).bit_length() - 1].spec.when), mask) for mask in groups.values()
        ]
        # A catalog has hundreds of category paths and the filters name a few dozen prefixes:
        # the verdicts are kept by which of those prefixes a category is under (with platform,
        # market and locale), and placements that let the same field-reading filters through
        # share one FieldTests, kept by which of _when_groups it tests.
        self._placement_cache: dict[tuple, tuple[int, Optional[FieldTests]]] = {}
        self._category_prefixes = tuple(sorted({
            prefix for when_filter, _ in self._when_groups
            for prefix in (when_filter.category or ()) + (when_filter.not_category or ())
        }))
        self._prefixes_under: dict[Optional[str], int] = {}
        self._field_tests: dict[tuple[int, ...], FieldTests] = {}
        # Rules that compare a spec value need one of their spec keys (see CheckKind.spec_keys):
        # a product without any of them skips the rule. `_spec_root_rules[key]` has the rules
        # that the spec key lets through; `_spec_gated` all rules that need one.
        self._spec_root_rules: dict[str, int] = {}
        self._spec_gated = 0
        for index, check in enumerate(self.checks):
            keys = check.spec_keys()
            if keys:
                self._spec_gated |= 1 << index
                for root in {key.split(".")[0] for key in keys}:
                    self._spec_root_rules[root] = self._spec_root_rules.get(root, 0) | 1 << index
        self._plans: dict[int, _Plan] = {}  # by active-rule mask
        # Rules whose hits a sentence can make lawful (`exempt:`), by index.
        self._exempting = {index: Exemptions(rule.spec.exempt) for index, rule in enumerate(self.rules) if rule.spec.exempt}

    def check_product(self, product: Product) -> list[Finding]:
        batches, single = self._plan(self._active_mask(product))
        hits: list[tuple[int, Hit]] = []
        timeouts: list[tuple[int, str]] = []
        for batch, indexes, local_active in batches:
            for pos, hit in batch.run(product, local_active):
                hits.append((indexes[pos], hit))
        checks = self.checks
        for index in single:
            # Most rules find nothing: extend() drains the check's generator in C, and only the
            # rare hits are paired with their rule. Hits found before a timeout are kept.
            found: list[Hit] = []
            try:
                found.extend(checks[index].check(product))
            except CheckTimeout as exc:
                timeouts.append((index, exc.field))
            if found:
                hits.extend([(index, hit) for hit in found])
        if self._min_rank and hits:
            # Confidence(...) also takes the plain "high" / "low" a third-party kind may give.
            hits = [(i, hit) for i, hit in hits if hit.confidence is None or Confidence(hit.confidence).rank >= self._min_rank]
        if self._exempting and hits:
            hits = [(i, hit) for i, hit in hits if not self._exempted(i, hit)]
        hits.sort(key=lambda item: item[0])  # stable: rule order, then the order the check found them
        also: dict[int, list[str]] = {}
        if len(hits) > 1:
            hits, also = self._one_finding_per_phrase(hits)
        findings = [self._finding(self.rules[index], product, hit) for index, hit in hits]
        for position, keys in also.items():
            findings[position].also_contradicts = keys
        findings.extend(self._timeout_finding(self.rules[i], product, field) for i, field in timeouts)
        findings.extend(self._too_long_findings(product))
        findings.extend(own_suppression_problems(product))
        assign_fingerprints(findings)
        return findings

    def _exempted(self, index: int, hit: Hit) -> bool:
        exemptions = self._exempting.get(index)
        return bool(exemptions) and hit.text is not None and hit.start is not None and hit.end is not None \
            and exemptions.cover(hit.text, hit.start, hit.end)

    def _one_finding_per_phrase(self, hits: list[tuple[int, Hit]]) -> tuple[list[tuple[int, Hit]], dict[int, list[str]]]:
        """A phrase is one finding: of hits of one category on overlapping characters of one
        field, the surest is kept, and of equally sure ones the first rule's. 全网最佳 is
        reported as 最佳 once, not again as 全网最 and as 最 + 佳; "Weight: 5 kg" once, by the
        weight rule whose cue binds it, not again by the gross-weight bound that reads any mass.
        The spec keys of the dropped mismatches are returned by kept position: "250g" against
        a 100 g net content and a 100 g gross weight is one finding naming both keys."""

        def sureness(position: int) -> tuple[int, int]:
            confidence = hits[position][1].confidence
            return (-(Confidence(confidence).rank if confidence is not None else Confidence.high.rank), position)

        def attribute(position: int) -> Optional[str]:
            index, hit = hits[position]
            return hit.attribute or self.rules[index].spec.attribute

        dropped: set[int] = set()
        also: dict[int, list[str]] = {}
        spans: dict[tuple[str, str], list[tuple[int, int, int]]] = {}
        for position in sorted(range(len(hits)), key=sureness):
            index, hit = hits[position]
            if hit.start is None or hit.end is None or not hit.field:
                continue
            taken = spans.setdefault((self.rules[index].spec.category.value, hit.field), [])
            keeper = next((kept for start, end, kept in taken if hit.start < end and start < hit.end), None)
            if keeper is None:
                taken.append((hit.start, hit.end, position))
                continue
            dropped.add(position)
            key = attribute(position)
            if key and key != attribute(keeper) and key not in also.get(keeper, ()):
                also.setdefault(keeper, []).append(key)
        kept = [item for position, item in enumerate(hits) if position not in dropped]
        renumbered = {position: new for new, position in enumerate(p for p in range(len(hits)) if p not in dropped)}
        return kept, {renumbered[position]: keys for position, keys in also.items()}

    def check_item(self, item: Item) -> list[Finding]:
        if isinstance(item, Finding):
            assign_fingerprints([item])
            return [item]
        return self.check_product(item)

    def _active_mask(self, product: Product) -> int:
        """The rules that apply to `product`, as a bit mask."""
        placement = placement_of(product)
        category = placement[0]
        under = self._prefixes_under.get(category)
        if under is None:
            if len(self._prefixes_under) > 65536:
                self._prefixes_under.clear()
            under = self._prefixes_under[category] = prefixes_under(category, self._category_prefixes)
        key = (under, *placement[1:])
        cached = self._placement_cache.get(key)
        if cached is None:
            fixed, reading = 0, []
            for group, (when_filter, mask) in enumerate(self._when_groups):
                if when_filter.placement_allows(*placement):
                    if when_filter.reads_fields:
                        reading.append(group)
                    else:
                        fixed |= mask
            if len(self._placement_cache) > 4096:
                self._placement_cache.clear()
            cached = self._placement_cache[key] = (fixed, self._field_tests_of(tuple(reading)))
        active, field_tests = cached
        if field_tests is not None:
            active |= field_tests.allowed(product)
        if active & self._spec_gated:
            allowed = 0
            for key, value in product.spec.items():
                if value is not None:
                    allowed |= self._spec_root_rules.get(key, 0)
            active &= ~self._spec_gated | allowed
        return active

    def _field_tests_of(self, groups: tuple[int, ...]) -> Optional[FieldTests]:
        if not groups:
            return None
        tests = self._field_tests.get(groups)
        if tests is None:
            if len(self._field_tests) > 4096:
                self._field_tests.clear()
            tests = self._field_tests[groups] = FieldTests([self._when_groups[group] for group in groups])
        return tests

    def _plan(self, active: int) -> _Plan:
        """What runs for a mask: each batch with its active positions, then the single rules
        in rule order. A catalog has few distinct masks, so plans are kept."""
        plan = self._plans.get(active)
        if plan is None:
            batches = []
            for batch, indexes in self.batches:
                local_active = [pos for pos, index in enumerate(indexes) if active >> index & 1]
                if local_active:
                    batches.append((batch, indexes, local_active))
            single = [index for index in self.single if active >> index & 1]
            if len(self._plans) > 4096:
                self._plans.clear()
            plan = self._plans[active] = _Plan(batches, single)
        return plan

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
            confidence=hit.confidence,
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
        read_chars = product.read_chars
        if read_chars is not None and read_chars <= limit:
            return []  # the whole record is shorter than the limit: no text in it is longer
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
