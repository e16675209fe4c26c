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
from listcheck.model import Finding, Report, Source, Summary, ToolInfo
from listcheck.policy import SummaryBuilder, apply_rule_overrides, summarize, unmatched_names
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
    catalog order, as they are checked."""
    from listcheck import pipeline  # lazy: keeps `listcheck --version` fast
    from listcheck.catalog import iter_entries
    from listcheck.catalog.mapping import FieldMapping

    config = config or Config()
    ruleset = rules or load_rules(config=config)
    engine = Engine(ruleset.rules, limits, config.ignore, config.min_confidence)
    fields = FieldMapping(config.mapping or None)
    # With workers, the main process only splits files into records; workers parse them.
    entries = iter_entries(paths, fields=fields, limits=limits, defer=jobs > 1)
    for entry in pipeline.run(engine, entries, fields=fields, jobs=jobs):
        if entry.kind == pipeline.PRODUCT:
            header = ProductHeader(sku=entry.sku, title=entry.title, supplier=entry.supplier, source=entry.source)  # type: ignore[arg-type]
            yield header, entry.findings
        else:
            # A reader's finding, a record that failed validation or a duplicate: the
            # entry's findings start with the finding that replaced it.
            yield entry.findings[0], entry.findings


def check_run(
    paths: Sequence[Union[str, Path]],
    *,
    config: Optional[Config] = None,
    rules: Optional[RuleSet] = None,
    jobs: int = 1,
    fail_on: Optional[str] = None,
    limits: Limits = DEFAULT_LIMITS,
    on_progress: Optional[Callable[[int], None]] = None,
) -> CheckRun:
    """Check catalog files or folders; the report plus what the terminal view shows of products."""
    config = config or Config()
    ruleset = rules or load_rules(config=config)
    findings: list[Finding] = []
    headers: dict[str, ProductHeader] = {}
    products = 0
    suppliers: Counter = Counter()
    for item, item_findings in iter_check(paths, config=config, rules=ruleset, jobs=jobs, limits=limits):
        if isinstance(item, ProductHeader):
            products += 1
            suppliers[item.supplier] += 1
            if item_findings:
                headers[item.sku] = item
            if on_progress is not None and products % 500 == 0:
                on_progress(products)
        findings.extend(item_findings)
    threshold = fail_on or config.fail_on
    report = Report(
        tool=ToolInfo(version=__version__, packs=ruleset.pack_names, config=config_label(config)),
        summary=summarize(findings, products, threshold, config.max_warnings),
        findings=findings,
    )
    return CheckRun(report=report, products=headers, counts={"supplier": dict(suppliers)})


def stream_check(
    paths: Sequence[Union[str, Path]],
    emit: Callable[[Finding], None],
    *,
    config: Optional[Config] = None,
    rules: Optional[RuleSet] = None,
    jobs: int = 1,
    fail_on: Optional[str] = None,
    limits: Limits = DEFAULT_LIMITS,
    on_progress: Optional[Callable[[int], None]] = None,
) -> Summary:
    """Check and hand each finding to `emit` as soon as its product is done; keep only counts,
    so memory stays flat however large the catalog (what `--format jsonl` uses)."""
    config = config or Config()
    builder = SummaryBuilder(fail_on or config.fail_on, config.max_warnings)
    for item, item_findings in iter_check(paths, config=config, rules=rules, jobs=jobs, limits=limits):
        if isinstance(item, ProductHeader):
            builder.add_product(item_findings)
            if on_progress is not None and builder.products % 500 == 0:
                on_progress(builder.products)
        else:
            builder.add(item_findings)  # a bad record, or a file's own finding
        for finding in item_findings:
            emit(finding)
    return builder.build()


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
    engine = Engine(rules.rules, limits, config.ignore, config.min_confidence)
    fields = FieldMapping(config.mapping or None)  # renamed as a file's records would be
    entries = (
        Raw(Source(path=source, line=number), fields.record(tame_record(record)))
        for number, record in enumerate(records, start=1)
    )
    for checked in pipeline.iter_checked(engine, fields, entries):
        yield from checked.findings
