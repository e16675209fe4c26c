"""From catalog entries to checked results, in catalog order: the same steps for every engine.

A run has two sides:

- **checking** (`check_entries`), which can happen anywhere — in this process, in a worker of
  `--jobs`, on a Dask worker: split and parse what the reader left unparsed (a block of JSON
  Lines, a line), validate (`records.build`) and check (`Engine.check_item`). It returns
  small `Checked` tuples rather than Products: sending a validated product between processes
  costs more than checking it.
- **collecting** (`Collector`), in the process that writes the report: results in catalog
  order, through the duplicate-sku pass (a product whose sku was seen before becomes an
  `input/duplicate-sku` finding and its own findings are dropped), then the policy stage
  (`policy.PolicyStage`: suppressions, the baseline, the summary's counts). Every engine
  (serial, `--jobs`, Dask) collects through it.

With `--jobs N` the main process only cuts JSON Lines and CSV files into slices that start at a
record (`catalog.partition`, the partitioner `--engine dask` uses too) and splits other files
into records (`catalog.iter_entries` with `defer=True`), so reading and parsing are spread
over the N workers as well as checking. Chunks go to the pool with a
bounded number in flight, so a streamed catalog stays streamed, and results are taken in
submission order, so the output is the same for any N. N is an upper bound: the pool has no
more workers than the first N chunks fill, nor more than `max_workers()`.
"""

from __future__ import annotations

import gc
import os
from collections import deque
from contextlib import contextmanager
from itertools import chain, islice
from typing import TYPE_CHECKING, Any, Iterable, Iterator, NamedTuple, Optional

from listcheck.catalog import partition, records
from listcheck.catalog.duplicates import DuplicateSkus
from listcheck.catalog.mapping import FieldMapping
from listcheck.config import Config
from listcheck.engine import Engine
from listcheck.model import Finding, Product, Source
from listcheck.policy import PolicyStage

if TYPE_CHECKING:
    from concurrent.futures import Future

# Kinds of checked entry, as the duplicate-sku pass tells them apart.
READER = 0  # a finding a file reader made itself (unreadable row, empty file): no sku to count
BUILT = 1  # a record that failed validation: its sku still counts as seen
PRODUCT = 2  # a valid product
FILE_END = 3  # a sliced file's end (`partition.FileEnd`): the collector tells an empty file by it

# Entries per task of the local pool: large enough that sending a task costs little next to
# checking it, small enough that a few in flight per worker keep memory flat.
CHUNK_SIZE = 256
# Most worker processes of a local pool, per CPU this process may run on. Checking is CPU
# work: past one worker a CPU the pool gains nothing and costs a fork, an engine's memory
# and a share of the chunks in flight each. A few a CPU leave room for workers that wait on
# reading a block or pickling, and for a CPU count that undercounts; 4 is that margin.
WORKERS_PER_CPU = 4


def max_workers() -> int:
    """The most workers `--jobs` starts: WORKERS_PER_CPU for each CPU this process may use."""
    try:
        cpus = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # macOS and Windows have no sched_getaffinity
        cpus = os.cpu_count() or 1
    return max(1, cpus) * WORKERS_PER_CPU


# Allocations between two collections of the youngest generation during a run (see
# `_fewer_collections`).
GC_THRESHOLD = 50_000


class Checked(NamedTuple):
    """One catalog entry, checked: what reports need of its product, and its findings."""

    kind: int
    sku: Optional[str]
    supplier: Optional[str]
    title: Optional[str]
    source: Optional[Source]
    findings: list[Finding]
    # The product's own suppressions (`listcheck.ignore`), for the policy stage; None if none.
    ignores: Optional[list[dict]] = None


def check_entries(engine: Engine, fields: FieldMapping, entries: Iterable[Any]) -> list[Checked]:
    """Read (a slice), build and check each entry of `catalog.iter_entries` (a `Raw` record,
    a reader's finding, a `partition.Slice`); one `Checked` per record, in order."""
    return list(iter_checked(engine, fields, entries))


def iter_checked(engine: Engine, fields: FieldMapping, entries: Iterable[Any]) -> Iterator[Checked]:
    """`check_entries`, one entry at a time (what `api.check_records` streams)."""
    for item in entries:
        if type(item) is partition.Slice:
            yield from iter_checked(engine, fields, partition.read_slice(item, fields, engine.limits))
            continue
        if type(item) is partition.FileEnd:
            yield Checked(FILE_END, None, None, None, Source(path=item.path), [])
            continue
        kind = READER
        if type(item) is records.Raw:
            item = records.build(item.data, item.source, item.chars)
            kind = PRODUCT if type(item) is Product else BUILT
        findings = engine.check_item(item)
        if kind == PRODUCT:
            directives = item.listcheck
            yield Checked(PRODUCT, item.sku, item.supplier, item.title, item.source, findings,
                          directives.ignore or None if directives is not None else None)
        else:
            yield Checked(kind, item.sku if kind == BUILT else None, None, None, item.source, findings)


class Collector:
    """The collecting side: fed every checked entry of a run in catalog order, by every engine."""

    def __init__(self, engine: Engine, policy: PolicyStage) -> None:
        self.engine = engine
        self.policy = policy
        self.duplicates = DuplicateSkus()
        self._last_path: Optional[str] = None  # the file of the last entry admitted

    def admit(self, entry: Checked) -> Optional[Checked]:
        """The entry, through the duplicate-sku pass and the policy stage: the entry itself or
        — for a product whose sku was seen before — a READER entry holding the
        `input/duplicate-sku` finding that replaces it; its findings marked and counted. The
        end of a sliced file is None, or the `input/empty-file` finding of a file that held
        no record (its records come just before its end)."""
        if entry.kind == FILE_END:
            path = entry.source.path  # type: ignore[union-attr]
            if self._last_path == path:
                return None
            entry = Checked(READER, None, None, None, entry.source, self.loader_finding(records.empty_file(path)))
            self._last_path = path
            return entry
        if entry.source is not None:
            self._last_path = entry.source.path
        if entry.kind != READER:
            duplicate = self.duplicates.see(entry.sku, entry.supplier, entry.source, valid=entry.kind == PRODUCT)
            if duplicate is not None:
                entry = Checked(READER, None, None, None, entry.source, self.engine.check_item(duplicate))
        self.policy.apply(entry.findings, entry.ignores, product=entry.kind == PRODUCT)
        return entry

    def loader_finding(self, finding: Finding) -> list[Finding]:
        """A finding the collecting side makes itself (an empty file), fingerprinted and
        through the policy stage."""
        findings = self.engine.check_item(finding)
        self.policy.apply(findings)
        return findings


# --- running over a catalog ---------------------------------------------------------------

# The engine a worker checks with. Where processes start by fork (Linux), workers inherit the
# main process's engine, compiled and warm, and skip building their own (about half a second
# of CPU each); elsewhere the initializer builds it from the rules.
_worker: Optional[tuple[int, Engine, FieldMapping]] = None


def _init_worker(token: int, rules: list, limits: Any, min_confidence: Any, fields: FieldMapping) -> None:
    global _worker
    gc.set_threshold(max(gc.get_threshold()[0], GC_THRESHOLD))  # as a run sets it, where not forked
    if _worker is None or _worker[0] != token:
        _worker = (token, Engine(rules, limits, min_confidence), fields)


def _check_chunk(chunk: list[Any]) -> list[Checked]:
    assert _worker is not None
    return check_entries(_worker[1], _worker[2], chunk)


def _chunks(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    """Lists of entries holding about `size` records each (a slice counts a record a KiB)."""
    chunk: list[Any] = []
    weight = 0
    for item in items:
        chunk.append(item)
        weight += 1 + ((item.end - item.start) >> 10) if type(item) is partition.Slice else 1
        if weight >= size:
            yield chunk
            chunk, weight = [], 0
    if chunk:
        yield chunk


def _taken(queue: deque) -> Iterator[Any]:
    """The items of `queue`, removed as they are taken (so it holds on to none of them)."""
    while queue:
        yield queue.popleft()


def run(
    engine: Engine,
    entries: Iterable[Any],
    *,
    fields: FieldMapping,
    policy: Optional[PolicyStage] = None,
    jobs: int = 1,
) -> Iterator[Checked]:
    """Every entry checked, in catalog order, duplicates replaced, through `policy` (default:
    no suppressions, no baseline). `fields` renames the records' keys as the reader of
    `entries` did (a worker parses deferred lines with it)."""
    with _fewer_collections():
        yield from _run(engine, entries, fields, jobs, Collector(engine, policy or PolicyStage(Config())))


# Runs going on in this process, and the collector threshold from before the first of them.
_runs = 0
_threshold_before: tuple[int, ...] = ()


@contextmanager
def _fewer_collections() -> Iterator[None]:
    """A run allocates millions of short-lived objects (records, products, findings) and keeps
    few. At the default generation-0 threshold (700 allocations) the cyclic collector walks the
    young objects thousands of times for almost nothing: ~10% of the CPU of a run. While runs
    go on, it waits for GC_THRESHOLD allocations (forked workers inherit that); the threshold
    from before is back when the last run ends, also an abandoned one. A threshold of 0
    (automatic collection off) is left alone."""
    global _runs, _threshold_before
    if _runs == 0:
        _threshold_before = gc.get_threshold()
        if _threshold_before[0]:
            gc.set_threshold(max(_threshold_before[0], GC_THRESHOLD), *_threshold_before[1:])
    _runs += 1
    try:
        yield
    finally:
        _runs -= 1
        if _runs == 0:
            gc.set_threshold(*_threshold_before)


def _run(engine: Engine, entries: Iterable[Any], fields: FieldMapping, jobs: int, collector: Collector) -> Iterator[Checked]:
    global _worker
    if jobs <= 1:
        for chunk in _chunks(entries, CHUNK_SIZE):
            yield from _admitted(collector, check_entries(engine, fields, chunk))
        return
    from concurrent.futures import ProcessPoolExecutor  # only here: a serial run skips it

    # As many workers as the first chunks can keep busy, up to `max_workers()`: a pool forks
    # all its workers at the first task, so `--jobs 4096` would otherwise start 4096 processes
    # (minutes, and memory) to check a few listings.
    chunks = _chunks(entries, CHUNK_SIZE)
    first = deque(islice(chunks, min(jobs, max_workers())))
    if not first:
        return
    workers = len(first)
    chunks = chain(_taken(first), chunks)
    token = id(engine)
    _worker = (token, engine, fields)  # what forked workers inherit
    try:
        with ProcessPoolExecutor(
            max_workers=workers,
            initializer=_init_worker,
            initargs=(token, engine.rules, engine.limits, engine.min_confidence, fields),
        ) as pool:
            pending: deque[Future] = deque()
            for chunk in chunks:
                pending.append(pool.submit(_check_chunk, chunk))
                if len(pending) >= workers * 4:
                    yield from _admitted(collector, pending.popleft().result())
            while pending:
                yield from _admitted(collector, pending.popleft().result())
    finally:
        _worker = None  # the engine is the caller's: this module keeps no run alive


def _admitted(collector: Collector, entries: Iterable[Checked]) -> Iterator[Checked]:
    for entry in entries:
        admitted = collector.admit(entry)
        if admitted is not None:
            yield admitted
