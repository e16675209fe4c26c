"""What the user decided about findings: rule overrides, suppressions, the baseline and the
fail threshold.

Rule overrides (`disable`, `severity`) tune the rules before the engine is built. Everything
else is one stage after the engine, `PolicyStage`, fed every entry of a run in catalog order
by the collecting side of every engine (`pipeline.Collector`: serial, `--jobs`, Dask): it
marks suppressed findings (config and product), marks baselined ones and counts the summary,
so a streamed run, a JSON report and a Dask run cannot disagree. Suppressed and baselined
findings stay in the report, marked; they never silently vanish.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import fnmatch
import hashlib
from typing import Iterable, Optional, Sequence

from listcheck.config import Config, IgnoreEntry, expiry_date
from listcheck.findings import INVALID_SUPPRESSION, SUPPRESSION_WITHOUT_REASON, format_value, input_finding
from listcheck.model import Finding, Product, Severity, Summary
from listcheck.ruleset.loader import LoadedRule
from listcheck.ruleset.schema import matches_any

FAIL_THRESHOLDS = {"error": 3, "warning": 2, "info": 1, "never": 99}


def apply_rule_overrides(rules: Sequence[LoadedRule], config: Config) -> list[LoadedRule]:
    """Drop disabled rules; apply severity overrides (rule-id globs, the last match wins)."""
    tuned: list[LoadedRule] = []
    for rule in rules:
        if matches_any(rule.spec.id, config.disable):
            continue
        severity: Optional[Severity] = None
        for pattern, value in config.severity.items():
            if fnmatch.fnmatchcase(rule.spec.id, pattern):
                severity = value
        if severity is not None and severity != rule.spec.severity:
            rule = dataclasses.replace(rule, spec=rule.spec.model_copy(update={"severity": severity}))
        tuned.append(rule)
    return tuned


def unmatched_names(rule_ids: Sequence[str], config: Config) -> list[str]:
    """The config's rule names and globs (`disable`, `severity`, `ignore`) that match no rule
    of the packs loaded: a typo there silently does nothing. An `ignore` of an `input/...`
    finding names no pack's rule, and is taken as meant."""
    problems = []
    for key, patterns in (("disable", config.disable), ("severity", list(config.severity))):
        for pattern in patterns:
            if not any(fnmatch.fnmatchcase(rule_id, pattern) for rule_id in rule_ids):
                problems.append(f"{key}: {pattern!r} matches no rule of the packs loaded")
    for entry in config.ignore:
        if entry.rule.startswith("input/") or fnmatch.fnmatchcase("input/x", entry.rule):
            continue
        if not any(fnmatch.fnmatchcase(rule_id, entry.rule) for rule_id in rule_ids):
            problems.append(f"ignore: rule {entry.rule!r} matches no rule of the packs loaded")
    return problems


class Suppressor:
    """Marks findings suppressed by the config's `ignore` or the product's own `listcheck.ignore`."""

    def __init__(self, ignores: Sequence[IgnoreEntry], today: Optional[dt.date] = None) -> None:
        self.ignores = list(ignores)
        self.today = today or dt.date.today()

    def apply(self, local: Optional[Sequence[dict]], findings: Iterable[Finding]) -> None:
        """Mark `findings` by the config's ignores, else by `local`, the product's own."""
        local = local or ()
        for finding in findings:
            for entry in self.ignores:
                if fnmatch.fnmatchcase(finding.sku or "", entry.sku) and fnmatch.fnmatchcase(
                    finding.rule, entry.rule
                ):
                    self._mark(finding, entry.reason, entry.expires)
                    break
            else:
                for raw in local:
                    pattern = str(raw.get("rule", ""))
                    if pattern and fnmatch.fnmatchcase(finding.rule, pattern):
                        try:
                            expires = expiry_date(raw.get("expires"))
                        except ValueError:
                            # Refused, not applied: `own_suppression_problems` says why, with its place.
                            continue
                        self._mark(finding, raw.get("reason"), expires)
                        break

    def _mark(self, finding: Finding, reason: Optional[str], expires: Optional[dt.date]) -> None:
        if expires is not None and expires < self.today:
            # Past its date the finding is active again, and says why it is back.
            note = f"suppression expired on {expires.isoformat()}"
            finding.suppression_reason = note if not reason else f"{note} ({reason})"
            finding.message += f" [{note}]"
            finding.messages = {
                lang: text + (f" [{note}]" if lang == "en" else f"［忽略已于 {expires.isoformat()} 到期］")
                for lang, text in finding.messages.items()
            }
            return
        finding.suppressed = True
        finding.suppression_reason = reason or ""

def own_suppression_problems(product: Product) -> list[Finding]:
    """What is wrong with a product's own suppressions, each an `input` finding naming the
    entry (the product is checked all the same; the engine adds them to its findings): an
    `expires:` that is no date (a number, "next year") is an error and the suppression is not
    applied, as the config's would be refused; one without a reason is a warning: say why, or
    fix it."""
    if product.listcheck is None:
        return []
    findings = []
    for index, raw in enumerate(product.listcheck.ignore):
        rule = raw.get("rule", "?")
        try:
            expiry_date(raw.get("expires"))
        except ValueError as exc:
            findings.append(input_finding(
                INVALID_SUPPRESSION,
                en=f"The suppression of {rule} is not applied: {exc}.",
                zh=f"对 {rule} 的忽略未生效：expires 应为 YYYY-MM-DD 格式的日期，"
                   f"实际为“{format_value(raw.get('expires'))}”。",
                source=product.source, sku=product.sku, supplier=product.supplier,
                field=f"listcheck.ignore.{index}.expires",
            ))
        if str(raw.get("reason") or "").strip():
            continue
        findings.append(input_finding(
            SUPPRESSION_WITHOUT_REASON,
            en=f"The suppression of {rule} has no reason; add `reason:` so reviewers know why it is accepted.",
            zh=f"对 {rule} 的忽略没有说明理由；请添加 `reason:`，以便审核者了解为何接受。",
            source=product.source, sku=product.sku, supplier=product.supplier,
            field=f"listcheck.ignore.{index}", severity=Severity.warning,
        ))
    return findings


def counts_toward_failure(finding: Finding, fail_on: str) -> bool:
    if finding.suppressed or finding.baselined:
        return False
    return finding.severity.rank >= FAIL_THRESHOLDS[fail_on]


class SummaryBuilder:
    """Counts findings as they come, so a streamed run needs no list of them; a whole report
    is counted by the same code (`summarize`), so the two cannot disagree.

    A product with findings is a distinct sku with an active finding: a duplicate of a sku, or a
    bad record naming one, is the same product, not another. The skus are kept as the 8 bytes
    of a hash, about 60 bytes each in the set, however long the sku.

    The counts are plain attributes, turned into a `Summary` once at the end: assigning to a
    pydantic model's field goes through its `__setattr__` machinery, a cost paid per finding
    on a million-product run."""

    def __init__(self, fail_on: str, max_warnings: Optional[int] = None) -> None:
        self.fail_on = fail_on
        self.max_warnings = max_warnings
        self.products = 0
        self.findings = 0
        self.suppressed = 0
        self.baselined = 0
        self.by_severity: dict[str, int] = {}
        self.by_category: dict[str, int] = {}
        self.failed = False
        self._skus_with_findings: set[int] = set()

    @property
    def products_with_findings(self) -> int:
        return len(self._skus_with_findings)

    def build(self) -> Summary:
        """The counts so far, as the report's Summary."""
        return Summary(
            products=self.products,
            products_with_findings=self.products_with_findings,
            findings=self.findings,
            by_severity=dict(self.by_severity),
            by_category=dict(self.by_category),
            suppressed=self.suppressed,
            baselined=self.baselined,
            fail_on=self.fail_on,
            max_warnings=self.max_warnings,
            failed=self.failed or too_many_warnings(self.by_severity, self.max_warnings),
        )

    def add_product(self, findings: Sequence[Finding]) -> None:
        """One checked product's findings."""
        self.products += 1
        self.add(findings)

    def add(self, findings: Sequence[Finding]) -> None:
        """Count findings (of a product, a bad record or a file)."""
        for finding in findings:
            if finding.suppressed:
                self.suppressed += 1
                continue
            if finding.baselined:
                self.baselined += 1
                continue
            self.findings += 1
            severity, category = finding.severity.value, finding.category.value
            self.by_severity[severity] = self.by_severity.get(severity, 0) + 1
            self.by_category[category] = self.by_category.get(category, 0) + 1
            if finding.sku:
                self._skus_with_findings.add(_sku_key(finding.sku))
            if counts_toward_failure(finding, self.fail_on):
                self.failed = True


def _sku_key(sku: str) -> int:
    return int.from_bytes(hashlib.blake2b(sku.encode("utf-8", "surrogatepass"), digest_size=8).digest(), "little")


def too_many_warnings(by_severity: dict[str, int], max_warnings: Optional[int]) -> bool:
    return max_warnings is not None and by_severity.get(Severity.warning.value, 0) > max_warnings


class PolicyStage:
    """The one place a run's findings meet the user's decisions, after the engine: suppressions
    (the config's `ignore`, the product's own `listcheck.ignore`), the baseline, and the counts
    that decide the verdict (the fail threshold, `max_warnings`). Fed every entry of a run once,
    in catalog order; keeps only counts and the baseline entries seen, so a streamed run stays
    flat in memory."""

    def __init__(
        self,
        config: Config,
        *,
        fail_on: Optional[str] = None,
        baseline: Optional[Iterable[str]] = None,
        today: Optional[dt.date] = None,
    ) -> None:
        self.suppressor = Suppressor(config.ignore, today)
        self.baseline = frozenset(baseline) if baseline is not None else None
        self._baseline_seen: set[str] = set()
        self.counts = SummaryBuilder(fail_on or config.fail_on, config.max_warnings)

    def apply(self, findings: Sequence[Finding], ignores: Optional[Sequence[dict]] = None, *, product: bool = False) -> None:
        """Mark one entry's findings (a product's, with its own `ignores`, or a loader's) and
        count them; `product`: the entry is a checked product (it counts as one)."""
        if findings:
            self.suppressor.apply(ignores, findings)
            if self.baseline is not None:
                self._mark_baselined(findings)
        if product:
            self.counts.add_product(findings)
        else:
            self.counts.add(findings)

    def _mark_baselined(self, findings: Sequence[Finding]) -> None:
        known = self.baseline
        assert known is not None
        for finding in findings:
            fingerprint = finding.fingerprint
            if fingerprint and fingerprint in known:
                self._baseline_seen.add(fingerprint)
                # Suppressed findings stay suppressed (and are not counted as baselined).
                finding.baselined = not finding.suppressed

    @property
    def baseline_fixed(self) -> Optional[int]:
        """Baseline entries that no finding of the run matched (None without a baseline)."""
        return None if self.baseline is None else len(self.baseline - self._baseline_seen)

    def summary(self) -> Summary:
        return self.counts.build()


def summarize(findings: Sequence[Finding], products: int, fail_on: str, max_warnings: Optional[int] = None) -> Summary:
    builder = SummaryBuilder(fail_on, max_warnings)
    builder.add(findings)
    builder.products = products
    return builder.build()
