"""Checking catalogs on a Dask cluster: `listcheck check PATH... --engine dask --scheduler ADDRESS`.

    from listcheck import api, distributed
    config = api.load_config(search_from=Path("catalog"))
    result = distributed.check_on_dask(["catalog/"], rules=api.load_rules(config=config),
                                       config=config, scheduler="tcp://scheduler:8786")

The result is the `CheckRun` that `api.check_run()` gives for the same paths: the same
findings in the same order (same `source.path` and `source.line`, fingerprints, suppressions),
the same summary, product headers and per-supplier counts. What differs is where work happens.

**The driver** (the machine that runs `listcheck check`) finds the files and applies the size
limits as a local run does; decides each JSONL/CSV file's encoding (one streaming pass, as a
local run makes) and reads a CSV file's header row; picks byte offsets just after a newline
every `blocksize` bytes; reads YAML, JSON and XLSX files itself (whole documents cannot be
split; their records are checked on the workers); reads Parquet footers.
At the end it walks the partitions' results in catalog order through the ordering side of a
local run (`pipeline.Ordered`, the duplicate-sku pass) and builds the report.

**The workers** read their own byte range or row group from the shared path and do the rest:
parse, validate and check (`pipeline.check_entries`, what a local run's `--jobs` workers
run) — the expensive part.

*JSONL and CSV.* A first round of cheap tasks counts each block's lines (so every product
keeps its real line number) and, for CSV, parses the block twice: as if it starts at a row,
and as if it starts inside a quoted cell (a description with line breaks). Chaining those
answers from the top of the file tells which blocks really start at a row; a block that starts
inside a quoted cell is joined to the one before it. In the second round each partition is
parsed by the local run's own reader (`catalog.<format>.read`, with its limits and findings):
the worker copies the partition's bytes to a scratch file (after the CSV header row), reads
it, and shifts the line numbers back.

*Parquet* (`.parquet`, `.pq`; not a local-run format) is read with pyarrow, one row group per
task. A product's `line` is its row number in the file (from 1); nulls are absent fields, as
empty CSV cells are; dotted column names and `mapping` apply as they do to CSV headers.

Catalog paths must be readable at the same absolute path on every worker (a shared or network
filesystem), and every worker needs the same listcheck version and check-kind plugins as the
driver (`pip install 'listcheck[dask]'`).
"""

from __future__ import annotations

import csv
import dataclasses
import itertools
import os
import re
import tempfile
import threading
import uuid
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator, Optional, Sequence, Union

from listcheck import __version__
from listcheck.api import CheckRun, ProductHeader, RuleSet, load_rules
from listcheck.config import Config, IgnoreEntry, config_label
from listcheck.errors import CatalogError, ListcheckError
from listcheck.limits import DEFAULT_LIMITS, Limits
from listcheck.model import Finding, Report, Source, ToolInfo
from listcheck.pipeline import check_entries
from listcheck.policy import summarize

__all__ = ["DEFAULT_BLOCKSIZE", "PARQUET_SUFFIXES", "check_on_dask"]

# About 16k products of 1 KB: seconds of checking per task, fine-grained enough to balance a
# cluster, coarse enough that scheduling costs nothing.
DEFAULT_BLOCKSIZE = 16 * 2**20
PARQUET_SUFFIXES = (".parquet", ".pq")
# Records of a YAML/JSON/XLSX file (read on the driver) go to the workers in chunks.
_RAW_CHUNK = 2000
# How long to wait for a first worker to join the scheduler.
_WORKER_WAIT_SECONDS = 60

_NEEDS_DASK = "the dask engine needs: pip install 'listcheck[dask]'"
_TEXT_SUFFIXES = (".jsonl", ".ndjson", ".csv")
# Blank lines put before a partition's bytes in its scratch file when they would otherwise
# start with a NUL byte in the 8 KiB that encoding detection inspects (in a local run they sit
# mid-file, where NUL is just a bad character). The readers skip blank lines; "\r\n" so that
# a header ending in a lone "\r" keeps its own line.
_PADDING_LINES = 4096
_PADDING = b"\r\n" * _PADDING_LINES
_GB18030 = "gb18030"

# One physical line as the readers split them: "\r\n", a lone "\r" or "\n", ending kept.
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+")
_BYTE_LINE = re.compile(rb"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+")


def check_on_dask(
    paths: Sequence[Union[str, Path]],
    *,
    rules: Optional[RuleSet] = None,
    config: Optional[Config] = None,
    scheduler: Optional[str] = None,
    fail_on: Optional[str] = None,
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
        ignores=list(config.ignore),
        min_confidence=config.min_confidence,
        limits=limits,
        mapping=dict(config.mapping),
    )
    with _connected(distributed, scheduler, client) as dask_client:
        futures: list[Any] = []
        try:
            findings, products, headers, suppliers = _run(
                dask_client, context, inputs, size, futures, on_progress
            )
        except BaseException:
            dask_client.cancel(futures)
            raise
        finally:
            futures.clear()
    threshold = fail_on or config.fail_on
    report = Report(
        tool=ToolInfo(version=__version__, packs=ruleset.pack_names, config=config_label(config)),
        summary=summarize(findings, products, threshold, config.max_warnings),
        findings=findings,
    )
    return CheckRun(report=report, products=headers, counts={"supplier": dict(suppliers)})


# --- the driver --------------------------------------------------------------------------


@dataclass(frozen=True)
class _RunContext:
    """What every task needs; scattered to each worker once per run."""

    token: str
    version: str
    rules: list
    ignores: list[IgnoreEntry]
    limits: Limits
    mapping: dict[str, str]
    min_confidence: Any = None


@dataclass(frozen=True)
class _Block:
    """A byte range of a JSONL or CSV file that starts at a line (once planned: at a row)."""

    path: str  # absolute, as the workers open it
    display: str  # as the user gave it, as findings name it
    suffix: str
    encoding: str
    start: int
    end: int
    size: int  # of the whole file
    line: int  # the line the range starts on (set once the scan round is in)
    header_end: int = 0  # CSV: bytes from the top of the file to the end of the header row
    header_lines: int = 0  # CSV: lines in those bytes
    delimiter: str = ","


@dataclass
class _FilePlan:
    display: str
    parts: list[Any] = field(default_factory=list)  # futures of partition results, in order
    skipped: bool = False  # a rule pack or config met in a folder walk (SkipFile)
    blocks: list[_Block] = field(default_factory=list)  # JSONL/CSV, until scanned
    scans: list[Any] = field(default_factory=list)


def _run(client, context: _RunContext, inputs, blocksize: int, futures: list, on_progress):
    from listcheck.catalog import _check_size
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
        _check_size(path, display, context.limits, suffix)
        plan = _FilePlan(display=display)
        if suffix in _TEXT_SUFFIXES:
            plan.blocks = _text_blocks(path, display, suffix, blocksize, context.limits)
            if len(plan.blocks) == 1:
                plan.parts = [submit(_check_block, plan.blocks[0])]
                plan.blocks = []
            else:
                plan.scans = [submit(_scan_block, block) for block in plan.blocks]
        elif suffix in PARQUET_SUFFIXES:
            absolute = str(path.resolve())
            for group, first_row in _row_groups(path, display):
                plan.parts.append(submit(_check_row_group, absolute, display, group, first_row))
        else:
            entries, plan.skipped = _read_on_driver(path, display, fields, explicit, context.limits)
            for start in range(0, len(entries), _RAW_CHUNK):
                [chunk] = client.scatter([entries[start : start + _RAW_CHUNK]], hash=False)
                futures.append(chunk)
                plan.parts.append(submit(_check_entries, chunk))
        plans.append(plan)

    for plan in plans:
        if plan.blocks:
            scans = [_unwrap(scan, plan.display) for scan in client.gather(plan.scans)]
            plan.parts = [submit(_check_block, part) for part in _partitions(plan, scans)]
            plan.blocks, plan.scans = [], []

    return _collect(plans, context, on_progress)


def _collect(plans: list[_FilePlan], context: _RunContext, on_progress):
    """The partitions' results in catalog order, through the ordering side of a local run
    (`pipeline.Ordered`: the duplicate-sku pass), gathered as `api.check_run` gathers them."""
    from listcheck.catalog import records
    from listcheck.engine import Engine
    from listcheck.pipeline import PRODUCT, Ordered

    # No rules: the driver's engine only suppresses and fingerprints the loader's findings.
    ordered = Ordered(Engine([], context.limits, context.ignores))
    findings: list[Finding] = []
    headers: dict[str, ProductHeader] = {}
    suppliers: Counter = Counter()
    products = 0
    for plan in plans:
        count = 0
        for future in plan.parts:
            part = _result(future, plan.display)
            future.release()
            count += len(part)
            for entry in part:
                entry = ordered.admit(entry)
                if entry.kind == PRODUCT:
                    products += 1
                    suppliers[entry.supplier] += 1
                    if entry.findings:
                        headers[entry.sku] = ProductHeader(
                            sku=entry.sku, title=entry.title, supplier=entry.supplier, source=entry.source
                        )
                    if on_progress is not None and products % 500 == 0:
                        on_progress(products)
                findings.extend(entry.findings)
        if count == 0 and not plan.skipped:
            findings.extend(ordered.loader_finding(records.empty_file(plan.display)))
    return findings, products, headers, suppliers


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
    from listcheck.catalog import CATALOG_SUFFIXES, _expand

    return _expand(paths, CATALOG_SUFFIXES + PARQUET_SUFFIXES)


def _read_on_driver(path: Path, display: str, fields, explicit: bool, limits: Limits) -> tuple[list, bool]:
    """A YAML/JSON/XLSX file through the local reader, records validated: (entries, skipped)."""
    from listcheck.catalog import reader_for, records

    entries: list[Any] = []
    try:
        entries.extend(reader_for(path.suffix.lower())(path, display, fields, explicit, limits))
    except records.SkipFile:
        return entries, True
    except OSError as exc:
        raise CatalogError(f"cannot read the file: {exc.strerror or exc}", path=display) from None
    return entries, False


def _text_blocks(path: Path, display: str, suffix: str, blocksize: int, limits: Limits = DEFAULT_LIMITS) -> list[_Block]:
    """The blocks of a JSONL/CSV file: byte ranges from a line start to the next one.

    Decides the encoding as the local reader does (a file it would refuse is refused here,
    with the same error); for CSV, finds the first line (the delimiter) and the header row.
    The first block starts at the top of the file, so its reader sees what a local one does.
    """
    from listcheck.catalog import encoding

    codec = encoding.detect(path, display)
    absolute = str(path.resolve())
    try:
        total = path.stat().st_size
        delimiter, header_end, header_lines = ",", 0, 0
        if suffix == ".csv":
            delimiter, header_end, header_lines = _csv_header(path, codec, limits)
        bounds = _boundaries(path, header_end, total, blocksize) if header_lines or suffix != ".csv" else [0]
    except OSError as exc:
        raise CatalogError(f"cannot read the file: {exc.strerror or exc}", path=display) from None
    bounds[0] = 0
    return [
        _Block(
            absolute, display, suffix, codec, begin, end, total, line=1,
            header_end=header_end, header_lines=header_lines, delimiter=delimiter,
        )
        for begin, end in zip(bounds, bounds[1:] + [total])
    ]


def _csv_header(path: Path, codec: str, limits: Limits) -> tuple[str, int, int]:
    """(delimiter, bytes up to the end of the header row, lines in them); (",", 0, 0) if none.

    As `csv_format.read` reads the top of a file: the first line picks the delimiter, the
    first row with a non-empty cell is the header. Errors are left to the first partition's
    reader, which reads from the top of the file and raises them as a local run does; so is
    a file whose header is not found in its first bytes (it is then one partition).
    """
    cap = max(64 * 2**20, 2 * limits.max_record_bytes)
    from listcheck.catalog import csv_format

    sizes: list[int] = []
    read = 0
    with open(path, "rb") as stream:

        def decoded() -> Iterator[str]:
            nonlocal read
            for number, raw in enumerate(_byte_lines(stream)):
                sizes.append(len(raw))
                read += len(raw)
                yield raw.decode(codec if number == 0 else _plain(codec), errors="replace")

        texts = decoded()
        first = next(texts, "")
        delimiter = csv_format._delimiter(first)
        squashed = (_squash(line, delimiter) for line in itertools.chain((first,), texts))
        reader = csv.reader(squashed, delimiter=delimiter)
        try:
            for row in reader:
                if any(row):
                    used = reader.line_num
                    return delimiter, sum(sizes[:used]), used
                if read > cap:
                    break
        except csv.Error:
            pass
    return delimiter, 0, 0


def _plain(codec: str) -> str:
    """The codec for bytes after the top of the file (a BOM only ever starts it)."""
    return "utf-8" if codec == "utf-8-sig" else codec


def _squash(line: str, delimiter: str) -> str:
    """`line` with each run of characters other than a quote, the delimiter and line breaks cut
    to one: the csv parser splits it into rows exactly as the original (see csv_format)."""
    return re.sub('[^"\r\n' + re.escape(delimiter) + "]+", "x", line)


def _byte_lines(stream, chunk_size: int = 1 << 20) -> Iterator[bytes]:
    """The physical lines of a binary stream, split as the readers split them, endings kept."""
    parts: list[bytes] = []  # the beginning of a line that has not ended yet
    while True:
        chunk = stream.read(chunk_size)
        if not chunk:
            if parts:
                yield b"".join(parts)
            return
        if parts and parts[-1].endswith(b"\r"):
            # A "\r" at the end of the last chunk: a line end, with its "\n" if one follows.
            if chunk.startswith(b"\n"):
                parts.append(b"\n")
                chunk = chunk[1:]
            yield b"".join(parts)
            parts = []
            if not chunk:
                continue
        lines = _BYTE_LINE.findall(chunk)
        last = lines.pop()
        if lines:
            if parts:
                lines[0] = b"".join(parts) + lines[0]
                parts = []
            yield from lines
        if last.endswith(b"\n"):
            yield b"".join(parts) + last if parts else last
            parts = []
        else:
            parts.append(last)


def _boundaries(path: Path, start: int, total: int, blocksize: int) -> list[int]:
    """Block starts: `start`, then just after the first "\\n" at or past every `blocksize`."""
    bounds = [start]
    with open(path, "rb") as stream:
        target = start + blocksize
        while target < total:
            stream.seek(target)
            position = target
            while True:
                piece = stream.read(1 << 16)
                if not piece:
                    return bounds
                found = piece.find(b"\n")
                if found >= 0:
                    position += found + 1
                    break
                position += len(piece)
            if position >= total:
                break
            bounds.append(position)
            target = position + blocksize
    return bounds


def _partitions(plan: _FilePlan, scans: list[tuple[int, Optional[bool], Optional[bool]]]) -> list[_Block]:
    """The blocks joined into partitions that start at a row, each with its first line."""
    parts: list[_Block] = []
    first = plan.blocks[0]
    line = first.header_lines + 1  # the scan of the first block starts after the header row
    at_row = True
    for block, (lines, after_row, after_quote) in zip(plan.blocks, scans):
        if at_row:
            parts.append(dataclasses.replace(block, line=1 if block.start == 0 else line))
        else:
            parts[-1] = dataclasses.replace(parts[-1], end=block.end)
        ends = after_row if at_row else after_quote
        if ends is None:
            raise CatalogError("invalid CSV: cannot tell where its rows start", path=plan.display, line=line)
        at_row = ends
        line += lines
    return parts


def _row_groups(path: Path, display: str) -> list[tuple[int, int]]:
    """(row group, the row number it starts at) for each row group of a Parquet file."""
    pq = _import_parquet()
    try:
        metadata = pq.ParquetFile(str(path)).metadata
    except Exception as exc:  # OSError, pyarrow.ArrowInvalid (not a Parquet file), ...
        raise CatalogError(f"cannot read the Parquet file: {exc}", path=display) from None
    groups = []
    row = 1
    for index in range(metadata.num_row_groups):
        groups.append((index, row))
        row += metadata.row_group(index).num_rows
    return groups


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


def _import_parquet():
    try:
        import pyarrow.parquet as pq
    except ImportError:
        raise ListcheckError("Parquet input needs pyarrow: pip install 'listcheck[dask]'") from None
    return pq


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
    found = (Engine(context.rules, context.limits, context.ignores, context.min_confidence), FieldMapping(context.mapping or None))
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


def _scan_block(context: _RunContext, block: _Block) -> Any:
    """(lines, at a row after it if it starts at one?, ... if it starts inside a quoted cell?)."""
    try:
        with open(block.path, "rb") as stream:
            stream.seek(block.start)
            data = stream.read(block.end - block.start)
    except OSError as exc:
        return _unreadable(block, exc)
    lines = data.count(b"\n") + data.count(b"\r") - data.count(b"\r\n")
    if data and not data.endswith((b"\n", b"\r")):
        lines += 1
    if block.suffix != ".csv":
        return lines, True, True
    if block.start == 0:
        data = data[block.header_end :]  # the first block is scanned after its header row
    text = data.decode(_plain(block.encoding), errors="replace")
    squashed = [_squash(line, block.delimiter) for line in _LINE.findall(text)]
    return (
        lines if block.start else lines - block.header_lines,
        _ends_at_row(squashed, block.delimiter, quoted=False),
        _ends_at_row(squashed, block.delimiter, quoted=True),
    )


def _ends_at_row(lines: list[str], delimiter: str, *, quoted: bool) -> Optional[bool]:
    """Whether csv, parsing `lines` from a row start (or from inside a quoted cell), is between
    rows when they run out; None when that parse fails.

    csv.reader asks for a line only when it needs one: asked for one at the start of a row it
    was between rows, asked in the middle of a row it was inside a quoted cell.
    """
    fresh = True
    answer: Optional[bool] = None

    def feed() -> Iterator[str]:
        nonlocal fresh, answer
        for index, line in enumerate(lines):
            fresh = False
            yield '"' + line if quoted and index == 0 else line
        answer = fresh

    reader = csv.reader(feed(), delimiter=delimiter)
    try:
        while answer is None:
            fresh = True
            next(reader)
    except StopIteration:
        pass
    except csv.Error:
        return None
    return answer


def _check_block(context: _RunContext, block: _Block) -> Any:
    """Read a partition with the local reader of its format, lines shifted back; check it."""
    setup = _engine(context)
    if isinstance(setup, _TaskError):
        return setup
    engine, fields = setup
    from listcheck.catalog import reader_for

    whole = block.start == 0 and block.end >= block.size
    scratch = None
    try:
        if whole:
            path, lead = Path(block.path), 0
        else:
            scratch, lead = _scratch_file(block)
            path = Path(scratch)
        shift = block.line - (lead + 1)
        entries: list[Any] = []
        try:
            for item in reader_for(block.suffix)(path, block.display, fields, True, context.limits):
                if isinstance(item, Finding):
                    item.source = _shifted(item.source, shift)
                    entries.append(item)
                else:
                    entries.append(type(item)(_shifted(item.source, shift), item.data))
        except CatalogError as exc:
            line = exc.line + shift if exc.line and exc.line > lead else exc.line
            return _TaskError(exc.message, line=line)
    except OSError as exc:
        return _unreadable(block, exc)
    finally:
        if scratch is not None:
            os.unlink(scratch)
    return check_entries(engine, fields, entries)


def _scratch_file(block: _Block) -> tuple[str, int]:
    """A local file with the partition's bytes (after the CSV header row, if the partition is
    not the first), and the number of lines before them."""
    from listcheck.catalog import encoding

    handle, scratch = tempfile.mkstemp(prefix="listcheck-", suffix=block.suffix)
    lead = 0
    with os.fdopen(handle, "wb") as out, open(block.path, "rb") as source:
        if block.start > 0:
            _copy(source, out, 0, block.header_end)
            lead = block.header_lines
            last = b""
            if block.header_end:
                source.seek(block.header_end - 1)
                last = source.read(1)
            source.seek(block.start)
            head = source.read(encoding.HEAD_BYTES)
            if b"\x00" in head or (last == b"\r" and head.startswith(b"\n")):
                # Keep NUL bytes out of the head that encoding detection inspects (a local run
                # sees them mid-file), and a header's lone "\r" apart from the block's "\n".
                out.write(_PADDING)
                lead += _PADDING_LINES
        _copy(source, out, block.start, block.end)
    if block.encoding == _GB18030:
        # Decided on the whole file; this part alone may read as UTF-8 (or as nothing).
        try:
            alone = encoding.detect(Path(scratch), block.display)
        except CatalogError:
            alone = None
        if alone != _GB18030:
            data = Path(scratch).read_bytes()
            Path(scratch).write_bytes(data.decode(_GB18030).encode("utf-8"))
    return scratch, lead


def _copy(source, out, start: int, end: int) -> None:
    source.seek(start)
    left = end - start
    while left > 0:
        chunk = source.read(min(left, 1 << 20))
        if not chunk:
            break
        out.write(chunk)
        left -= len(chunk)


def _shifted(source: Optional[Source], shift: int) -> Optional[Source]:
    if source is None or source.line is None or not shift:
        return source
    return Source(path=source.path, line=source.line + shift, sheet=source.sheet)


def _check_row_group(context: _RunContext, path: str, display: str, group: int, first_row: int) -> Any:
    setup = _engine(context)
    if isinstance(setup, _TaskError):
        return setup
    engine, fields = setup
    from listcheck.catalog.records import Raw

    pq = _import_parquet()
    try:
        table = pq.ParquetFile(path).read_row_group(group)
    except OSError as exc:
        return _TaskError(
            f"a Dask worker cannot read the file at {path}: {exc}; is it on a filesystem every worker shares?"
        )
    rows = table.to_pylist(maps_as_pydicts="lossy")
    entries = (
        Raw(Source(path=display, line=first_row + index), fields.record(_without_nulls(row)))
        for index, row in enumerate(rows)
    )
    return check_entries(engine, fields, entries)


def _without_nulls(value: Any) -> Any:
    """Nulls are absent fields, as empty CSV cells are."""
    if isinstance(value, dict):
        return {key: _without_nulls(item) for key, item in value.items() if item is not None}
    if isinstance(value, list):
        return [_without_nulls(item) for item in value if item is not None]
    return value


def _unreadable(block: _Block, exc: OSError) -> _TaskError:
    return _TaskError(
        f"a Dask worker cannot read the file at {block.path}: {exc.strerror or exc}; "
        "is it on a filesystem every worker shares?"
    )
