"""The Python API: what the CLI, the tests and other programs call.

    from listcheck import api
    config = api.load_config(search_from=Path.cwd())
    report = api.check(["catalog/"], config=config)
    for finding in report.findings: ...

`check_records()` checks any iterable of dicts (a Dask or Spark partition, a database cursor)
with the same rules and gives the same findings a file run gives.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Optional, Sequence, Union

from listcheck import __version__
from listcheck.config import Config, config_label, load_config
from listcheck.engine import Engine
from listcheck.limits import DEFAULT_LIMITS, Limits
from listcheck.model import Finding, Report, Source, ToolInfo
from listcheck.policy import PolicyStage, apply_rule_overrides, unmatched_names
from listcheck.report.common import ProductHeader
from listcheck.ruleset.loader import LoadedPack, LoadedRule, collect_rules, load_packs

__all__ = [
    "CheckRun", "ProductHeader", "RuleSet", "check", "check_records", "check_run", "iter_check",
    "load_config", "load_rules", "stream_check",
]


@dataclass
class RuleSet:
    packs: list[LoadedPack]
    rules: list[LoadedRule]
    # The config's rule names and globs that match no rule loaded (policy.unmatched_names).
    unmatched: list[str] = field(default_factory=list)

    @property
    def pack_names(self) -> list[str]:
        return [pack.spec.pack for pack in self.packs]


@dataclass
class CheckRun:
    report: Report
    # Baseline entries no finding matched any more (None: the run had no baseline).
    baseline_fixed: Optional[int] = None
    # Products with findings, for reports that show titles and suppliers.
    products: dict[str, ProductHeader] = field(default_factory=dict)
    # Products per supplier (all of them, with findings or not), for per-supplier reports.
    counts: dict[str, dict[Optional[str], int]] = field(default_factory=dict)


def load_rules(
    refs: Optional[Sequence[str]] = None, config: Optional[Config] = None
) -> RuleSet:
    """The packs named by `refs` (or by the config: its `extends` and `rules`), tuned by the
    config's `disable` and `severity`."""
    config = config or Config()
    base = config.base_dir
    if refs:
        packs = load_packs(refs, Path.cwd())
    else:
        packs = load_packs(list(config.extends), base)
        if config.rules:
            extra = load_packs(list(config.rules), base)
            packs += [p for p in extra if all(p.path != q.path for q in packs)]
    loaded = collect_rules(packs)
    rules = apply_rule_overrides(loaded, config)
    return RuleSet(packs=packs, rules=rules, unmatched=unmatched_names([rule.spec.id for rule in loaded], config))


def iter_check(
    paths: Sequence[Union[str, Path]],
    *,
    config: Optional[Config] = None,
    rules: Optional[RuleSet] = None,
    jobs: int = 1,
    limits: Limits = DEFAULT_LIMITS,
) -> Iterator[tuple[Union[ProductHeader, Finding], list[Finding]]]:
    """(product header — or the input finding that replaced a record —, its findings) in
    catalog order, as they are checked, through the config's policy."""
    from listcheck import pipeline

    config = config or Config()
    for entry in _checked(paths, config, rules or load_rules(config=config), jobs, limits, PolicyStage(config)):
        if entry.kind == pipeline.PRODUCT:
            yield _header(entry), entry.findings
        else:
            # A reader's finding, a record that failed validation or a duplicate: the
            # entry's findings start with the finding that replaced it.
            yield entry.findings[0], entry.findings


def _checked(paths, config: Config, ruleset: RuleSet, jobs: int, limits: Limits, policy: PolicyStage) -> Iterator[Any]:
    """The run's `pipeline.Checked` entries in catalog order, through `policy`."""
    from listcheck import pipeline  # lazy: keeps `listcheck --version` fast
    from listcheck.catalog import iter_entries
    from listcheck.catalog.mapping import FieldMapping

    engine = Engine(ruleset.rules, limits, config.min_confidence)
    fields = FieldMapping(config.mapping or None)
    # With workers, the main process only cuts files into slices and records; workers read them.
    entries = iter_entries(paths, fields=fields, limits=limits, defer=jobs > 1)
    return pipeline.run(engine, entries, fields=fields, policy=policy, jobs=jobs)


def _header(entry: Any) -> ProductHeader:
    return ProductHeader(sku=entry.sku, title=entry.title, supplier=entry.supplier, source=entry.source)


def check_run(
    paths: Sequence[Union[str, Path]],
    *,
    config: Optional[Config] = None,
    rules: Optional[RuleSet] = None,
    jobs: int = 1,
    fail_on: Optional[str] = None,
    baseline: Optional[Iterable[str]] = None,
    limits: Limits = DEFAULT_LIMITS,
    on_progress: Optional[Callable[[int], None]] = None,
) -> CheckRun:
    """Check catalog files or folders; the report plus what the terminal view shows of
    products. `baseline`: the fingerprints of accepted findings (`baseline.load_baseline`)."""
    config = config or Config()
    ruleset = rules or load_rules(config=config)
    policy = PolicyStage(config, fail_on=fail_on, baseline=baseline)
    return collect_run(_checked(paths, config, ruleset, jobs, limits, policy), ruleset, config, policy, on_progress)


def collect_run(
    entries: Iterable[Any], ruleset: RuleSet, config: Config, policy: PolicyStage,
    on_progress: Optional[Callable[[int], None]] = None,
) -> CheckRun:
    """The CheckRun of a run's `pipeline.Checked` entries, in catalog order and through
    `policy` (what every engine's collecting side gives): findings, the headers of products
    with findings, products per supplier."""
    from listcheck import pipeline

    findings: list[Finding] = []
    headers: dict[str, ProductHeader] = {}
    suppliers: Counter = Counter()
    products = 0
    for entry in entries:
        if entry.kind == pipeline.PRODUCT:
            products += 1
            suppliers[entry.supplier] += 1
            if entry.findings:
                headers[entry.sku] = _header(entry)
            if on_progress is not None and products % 500 == 0:
                on_progress(products)
        findings.extend(entry.findings)
    report = Report(tool=tool_info(ruleset, config), summary=policy.summary(), findings=findings)
    return CheckRun(report=report, baseline_fixed=policy.baseline_fixed, products=headers,
                    counts={"supplier": dict(suppliers)})


def tool_info(ruleset: RuleSet, config: Config) -> ToolInfo:
    """The report's `tool`: this version, the packs and the config a run used."""
    return ToolInfo(version=__version__, packs=ruleset.pack_names, config=config_label(config))


def stream_check(
    paths: Sequence[Union[str, Path]],
    emit: Callable[[Finding], None],
    *,
    config: Optional[Config] = None,
    rules: Optional[RuleSet] = None,
    jobs: int = 1,
    fail_on: Optional[str] = None,
    baseline: Optional[Iterable[str]] = None,
    limits: Limits = DEFAULT_LIMITS,
    on_progress: Optional[Callable[[int], None]] = None,
) -> CheckRun:
    """Check and hand each finding to `emit` as soon as its product is done; keep only counts,
    so memory stays flat however large the catalog (what `--format jsonl` uses). The run's
    report has the summary and no findings (they went to `emit`)."""
    from listcheck import pipeline

    config = config or Config()
    ruleset = rules or load_rules(config=config)
    policy = PolicyStage(config, fail_on=fail_on, baseline=baseline)
    for entry in _checked(paths, config, ruleset, jobs, limits, policy):
        if on_progress is not None and entry.kind == pipeline.PRODUCT and policy.counts.products % 500 == 0:
            on_progress(policy.counts.products)
        for finding in entry.findings:
            emit(finding)
    report = Report(tool=tool_info(ruleset, config), summary=policy.summary(), findings=[])
    return CheckRun(report=report, baseline_fixed=policy.baseline_fixed)


def check(paths: Sequence[Union[str, Path]], **options: Any) -> Report:
    """Check catalog files or folders and return the report (see `check_run` for options)."""
    return check_run(paths, **options).report


def check_records(
    records: Iterable[dict[str, Any]],
    rules: RuleSet,
    *,
    config: Optional[Config] = None,
    source: str = "<records>",
    limits: Limits = DEFAULT_LIMITS,
) -> Iterator[Finding]:
    """Findings for in-memory records, in order; a bad record gives an `input` finding.

    Records go through `pipeline.check_entries`, what a `--jobs` worker and a Dask partition
    run: dotted keys expand and the config's `mapping` renames apply as they do to a file's
    records. Duplicate skus are not looked for (that needs the whole catalog in order)."""
    from listcheck import pipeline
    from listcheck.catalog.mapping import FieldMapping
    from listcheck.catalog.records import Raw, tame_record

    config = config or Config()
    engine = Engine(rules.rules, limits, config.min_confidence)
    policy = PolicyStage(config)
    fields = FieldMapping(config.mapping or None)  # renamed as a file's records would be
    entries = (
        Raw(Source(path=source, line=number), fields.record(tame_record(record)))
        for number, record in enumerate(records, start=1)
    )
    for checked in pipeline.iter_checked(engine, fields, entries):
        policy.apply(checked.findings, checked.ignores, product=checked.kind == pipeline.PRODUCT)
        yield from checked.findings
