"""Checking catalogs on a Dask cluster: `listcheck check PATH... --engine dask --scheduler ADDRESS`.

    from listcheck import api, distributed
    config = api.load_config(search_from=Path("catalog"))
    result = distributed.check_on_dask(["catalog/"], rules=api.load_rules(config=config),
                                       config=config, scheduler="tcp://scheduler:8786")

The result is the `CheckRun` that `api.check_run()` gives for the same paths: the same
findings in the same order (same `source.path` and `source.line`, fingerprints, suppressions,
baseline), the same summary, product headers and per-supplier counts. What differs is where
work happens; this module is only the cluster glue.

**The driver** (the machine that runs `listcheck check`) finds the files and applies the size
limits as a local run does (`catalog.expand_paths`, `catalog.check_size`); cuts JSONL and CSV
files with the partitioner (`catalog.partition`: offsets, no reading of the records); reads
YAML, JSON and XLSX files itself (whole documents cannot be cut; their records are checked on
the workers); reads Parquet footers (`catalog.parquet_format`). At the end it walks the
results in catalog order through the collecting side of a local run (`pipeline.Collector`:
the duplicate-sku pass and the policy stage) and builds the report.

**The workers** do the rest: a first round of cheap tasks scans each slice of a JSONL/CSV
file (`partition.scan_slice`: its lines, where CSV rows start); the second reads each joined
slice (`partition.read_slice`) or Parquet row group and parses, validates and checks it
(`pipeline.check_entries`, what a local run's `--jobs` workers run) — the expensive part.

Catalog paths must be readable at the same absolute path on every worker (a shared or network
filesystem), and every worker needs the same listcheck version and check-kind plugins as the
driver (`pip install 'listcheck[dask]'`).
"""

from __future__ import annotations

import os
import threading
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Optional, Sequence, Union

from listcheck import __version__
from listcheck.api import CheckRun, RuleSet, collect_run, load_rules
from listcheck.catalog import CATALOG_SUFFIXES, CatalogFile, check_size, expand_paths, partition, read_file
from listcheck.catalog.parquet_format import PARQUET_SUFFIXES, read_row_group, row_groups
from listcheck.config import Config
from listcheck.errors import CatalogError, ListcheckError
from listcheck.limits import DEFAULT_LIMITS, Limits
from listcheck.model import Source
from listcheck.pipeline import check_entries
from listcheck.policy import PolicyStage

__all__ = ["DEFAULT_BLOCKSIZE", "PARQUET_SUFFIXES", "check_on_dask"]

# About 16k products of 1 KB: seconds of checking per task, fine-grained enough to balance a
# cluster, coarse enough that scheduling costs nothing.
DEFAULT_BLOCKSIZE = 16 * 2**20
# Records of a YAML/JSON/XLSX file (read on the driver) go to the workers in chunks.
_RAW_CHUNK = 2000
# How long to wait for a first worker to join the scheduler.
_WORKER_WAIT_SECONDS = 60

_NEEDS_DASK = "the dask engine needs: pip install 'listcheck[dask]'"


def check_on_dask(
    paths: Sequence[Union[str, Path]],
    *,
    rules: Optional[RuleSet] = None,
    config: Optional[Config] = None,
    scheduler: Optional[str] = None,
    fail_on: Optional[str] = None,
    baseline: Optional[Iterable[str]] = None,
    limits: Limits = DEFAULT_LIMITS,
    blocksize: Union[int, str] = DEFAULT_BLOCKSIZE,
    on_progress: Optional[Callable[[int], None]] = None,
    client: Any = None,
) -> CheckRun:
    """Check catalog files or folders on a Dask cluster; the same CheckRun as `api.check_run`.

    `scheduler` is the scheduler's address (`tcp://host:8786`); None uses dask's configured
    `scheduler-address`, else starts a temporary cluster on this machine. A connected
    `distributed.Client` may be passed as `client` instead (it is left open). `blocksize`
    (bytes, or a string such as "64MiB") is the target size of a JSONL/CSV partition.
    Raises ListcheckError (exit 2 in the CLI) for whatever stops a local run, and when dask is
    missing or the cluster cannot be used.
    """
    distributed = _import_distributed()
    config = config or Config()
    ruleset = rules or load_rules(config=config)
    size = _blocksize(blocksize)
    inputs = _inputs(paths)
    context = _RunContext(
        token=uuid.uuid4().hex,
        version=__version__,
        rules=list(ruleset.rules),
        min_confidence=config.min_confidence,
        limits=limits,
        mapping=dict(config.mapping),
    )
    policy = PolicyStage(config, fail_on=fail_on, baseline=baseline)
    with _connected(distributed, scheduler, client) as dask_client:
        futures: list[Any] = []
        try:
            plans = _submit(dask_client, context, inputs, size, futures)
            run = collect_run(_collected(plans, context, policy), ruleset, config, policy, on_progress)
        except BaseException:
            dask_client.cancel(futures)
            raise
        finally:
            futures.clear()
    return run


# --- the driver --------------------------------------------------------------------------


@dataclass(frozen=True)
class _RunContext:
    """What every task needs; scattered to each worker once per run."""

    token: str
    version: str
    rules: list
    limits: Limits
    mapping: dict[str, str]
    min_confidence: Any = None


@dataclass
class _FilePlan:
    display: str
    parts: list[Any] = field(default_factory=list)  # futures of partition results, in order
    read_whole: bool = False  # read on the driver (`catalog.read_file`: it tells an empty file)
    slices: list[partition.Slice] = field(default_factory=list)  # JSONL/CSV, until scanned
    scans: list[Any] = field(default_factory=list)


def _submit(client, context: _RunContext, inputs, blocksize: int, futures: list) -> list[_FilePlan]:
    """Every file's tasks submitted, in catalog order: a plan per file."""
    from listcheck.catalog.mapping import FieldMapping

    fields = FieldMapping(context.mapping or None)
    shared = client.scatter(context, broadcast=True, hash=False)
    futures.append(shared)

    def submit(function, *args):
        future = client.submit(function, shared, *args, pure=False)
        futures.append(future)
        return future

    plans: list[_FilePlan] = []
    for path, explicit in inputs:
        display = str(path)
        suffix = path.suffix.lower()
        check_size(path, display, context.limits, suffix)
        plan = _FilePlan(display=display)
        if suffix in partition.SLICED_SUFFIXES:
            plan.slices = partition.text_slices(path, display, suffix, blocksize, context.limits)
            if len(plan.slices) == 1:
                plan.parts = [submit(_check_slice, plan.slices[0])]
                plan.slices = []
            else:
                plan.scans = [submit(_scan_slice, piece) for piece in plan.slices]
        elif suffix in PARQUET_SUFFIXES:
            absolute = str(path.resolve())
            for group, first_row in row_groups(path, display):
                plan.parts.append(submit(_check_row_group, absolute, display, group, first_row))
        else:
            plan.read_whole = True
            entries = list(read_file(CatalogFile(path, display, explicit), fields, context.limits))
            for start in range(0, len(entries), _RAW_CHUNK):
                [chunk] = client.scatter([entries[start : start + _RAW_CHUNK]], hash=False)
                futures.append(chunk)
                plan.parts.append(submit(_check_entries, chunk))
        plans.append(plan)

    for plan in plans:
        if plan.slices:
            scans = [_unwrap(scan, plan.display) for scan in client.gather(plan.scans)]
            plan.parts = [submit(_check_slice, part) for part in partition.join_slices(plan.display, plan.slices, scans)]
            plan.slices, plan.scans = [], []

    return plans


def _collected(plans: list[_FilePlan], context: _RunContext, policy) -> Iterator[Any]:
    """The tasks' results in catalog order, through the collecting side of a local run
    (`pipeline.Collector`: the duplicate-sku pass, the policy stage)."""
    from listcheck.engine import Engine
    from listcheck.pipeline import FILE_END, Checked, Collector

    # No rules: the driver's engine only fingerprints the findings the driver makes itself.
    collector = Collector(Engine([], context.limits), policy)
    for plan in plans:
        for future in plan.parts:
            part = _result(future, plan.display)
            future.release()
            yield from filter(None, map(collector.admit, part))
        if not plan.read_whole:  # the collector tells a file without records by its end
            end = collector.admit(Checked(FILE_END, None, None, None, Source(path=plan.display), []))
            if end is not None:
                yield end


@dataclass(frozen=True)
class _TaskError:
    """An error a task returns as data: listcheck's exceptions do not survive pickling."""

    message: str
    line: Optional[int] = None
    catalog: bool = True


def _result(future, display: str) -> Any:
    try:
        part = future.result()
    except ImportError as exc:
        raise ListcheckError(
            f"a Dask worker cannot import listcheck ({exc}); install the same listcheck "
            "(pip install 'listcheck[dask]') and check-kind plugins on every worker"
        ) from None
    return _unwrap(part, display)


def _unwrap(part: Any, display: str) -> Any:
    if isinstance(part, _TaskError):
        if part.catalog:
            raise CatalogError(part.message, path=display, line=part.line)
        raise ListcheckError(part.message)
    return part


def _inputs(paths: Sequence[Union[str, Path]]) -> list[tuple[Path, bool]]:
    """(file, named explicitly?) in the order `catalog.discover` gives, Parquet files included."""
    return expand_paths(paths, CATALOG_SUFFIXES + PARQUET_SUFFIXES)


@contextmanager
def _connected(distributed, scheduler: Optional[str], client):
    if client is not None:
        yield client
        return
    import dask

    address = scheduler or dask.config.get("scheduler-address", None)
    cluster = None
    if address:
        try:
            dask_client = distributed.Client(address, set_as_default=False)
        except (OSError, TimeoutError) as exc:
            raise ListcheckError(f"cannot connect to the Dask scheduler at {address}: {exc}") from None
    else:
        cluster = distributed.LocalCluster(
            n_workers=os.cpu_count() or 1, threads_per_worker=1, processes=True, dashboard_address=None
        )
        dask_client = distributed.Client(cluster, set_as_default=False)
    try:
        try:
            dask_client.wait_for_workers(1, timeout=_WORKER_WAIT_SECONDS)
        except (OSError, TimeoutError):
            raise ListcheckError(
                f"no Dask worker joined the scheduler at {address} within "
                f"{_WORKER_WAIT_SECONDS} s; start one with `dask worker {address}`"
            ) from None
        yield dask_client
    finally:
        dask_client.close()
        if cluster is not None:
            cluster.close()


def _import_distributed():
    try:
        import dask  # noqa: F401
        import distributed
    except ImportError:
        raise ListcheckError(_NEEDS_DASK) from None
    return distributed


def _blocksize(value: Union[int, str]) -> int:
    if isinstance(value, str):
        from dask.utils import parse_bytes

        try:
            value = parse_bytes(value)
        except ValueError:
            raise ListcheckError(f"blocksize: not a size: {value!r} (for example 64MiB)") from None
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ListcheckError(f"blocksize must be a positive number of bytes, got {value!r}")
    return value


# --- the workers -------------------------------------------------------------------------

# (run token, thread) -> (Engine, FieldMapping): the rules compile once per worker thread.
_ENGINES: dict[tuple[str, int], tuple[Any, Any]] = {}
_ENGINES_LOCK = threading.Lock()


def _engine(context: _RunContext) -> Any:
    key = (context.token, threading.get_ident())
    found = _ENGINES.get(key)
    if found is not None:
        return found
    from listcheck.catalog.mapping import FieldMapping
    from listcheck.engine import Engine
    from listcheck.checks.registry import get_kind

    if __version__ != context.version:
        return _TaskError(
            f"a Dask worker runs listcheck {__version__} and the driver {context.version}; "
            "install the same version on every worker",
            catalog=False,
        )
    missing = sorted({rule.spec.kind for rule in context.rules if get_kind(rule.spec.kind) is None})
    if missing:
        return _TaskError(
            f"a Dask worker has no check kind {', '.join(missing)}; install the plugin that "
            "provides it on every worker",
            catalog=False,
        )
    found = (Engine(context.rules, context.limits, context.min_confidence), FieldMapping(context.mapping or None))
    with _ENGINES_LOCK:
        for old in [k for k in _ENGINES if k[0] != context.token]:
            del _ENGINES[old]
        _ENGINES[key] = found
    return found


def _check_entries(context: _RunContext, entries: list[Any]) -> Any:
    setup = _engine(context)
    if isinstance(setup, _TaskError):
        return setup
    return check_entries(setup[0], setup[1], entries)


def _scan_slice(context: _RunContext, piece: partition.Slice) -> Any:
    try:
        return partition.scan_slice(piece)
    except OSError as exc:
        return _unreadable(piece.path, exc)


def _check_slice(context: _RunContext, piece: partition.Slice) -> Any:
    """Read a slice with the local reader of its format, lines as in the whole file; check it."""
    setup = _engine(context)
    if isinstance(setup, _TaskError):
        return setup
    try:
        entries = partition.read_slice(piece, setup[1], context.limits)
    except CatalogError as exc:
        return _TaskError(exc.message, line=exc.line)
    except OSError as exc:
        return _unreadable(piece.path, exc)
    return check_entries(setup[0], setup[1], entries)


def _check_row_group(context: _RunContext, path: str, display: str, group: int, first_row: int) -> Any:
    setup = _engine(context)
    if isinstance(setup, _TaskError):
        return setup
    try:
        entries = list(read_row_group(path, display, group, first_row, setup[1]))
    except OSError as exc:
        return _unreadable(path, exc)
    return check_entries(setup[0], setup[1], entries)


def _unreadable(path: str, exc: OSError) -> _TaskError:
    return _TaskError(
        f"a Dask worker cannot read the file at {path}: {exc.strerror or exc}; "
        "is it on a filesystem every worker shares?"
    )
