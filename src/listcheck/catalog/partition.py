"""The one partitioner: a JSON Lines or CSV file cut into byte ranges that each start at a
record, read by the file's own reader, so work on one file can be spread over processes or
machines and the findings are the ones a whole-file run gives.

    slices = text_slices(path, display, suffix, blocksize, limits)  # cheap: stat, seeks
    scans = [scan_slice(piece) for piece in slices]                    # anywhere: lines, row starts
    for piece in join_slices(display, slices, scans):                  # slices that start at a record
        entries = read_slice(piece, fields, limits)                    # anywhere: the reader's entries

`text_slices` decides the encoding as the reader does (a file it would refuse is refused here,
with the same error), reads a CSV file's header row and picks offsets just after a newline
every `blocksize` bytes. `scan_slice` counts a slice's lines (so every product keeps its real
line number) and, for CSV, parses it twice: as if it starts at a row, and as if it starts
inside a quoted cell (a description with line breaks). `join_slices` chains those answers from
the top of the file and joins a slice that starts inside a quoted cell to the one before it.
`read_slice` copies a slice's bytes to a scratch file (after the CSV header row), reads it with
the format's reader (`catalog.<format>.read`, its limits and findings) and shifts the line
numbers back.

A slice names its file by absolute path: every process that reads it must see the file there
(a shared filesystem, for a cluster).
"""

from __future__ import annotations

import csv
import dataclasses
import itertools
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator, NamedTuple, Optional, Sequence

from listcheck.catalog.mapping import FieldMapping
from listcheck.errors import CatalogError
from listcheck.limits import DEFAULT_LIMITS, Limits
from listcheck.model import Finding, Source

__all__ = [
    "SLICED_SUFFIXES", "FileEnd", "Slice", "SliceScan", "join_slices", "read_slice", "scan_slice", "slices_of",
    "text_slices",
]

# The formats cut into byte ranges; the others are read whole (a YAML or JSON document, a
# workbook) and their records handed out instead.
SLICED_SUFFIXES = (".jsonl", ".ndjson", ".csv")
# The size of a slice a local `--jobs` run hands a worker: about 256 listings of 1 KB, so
# sending the task costs little next to checking it and a few in flight per worker keep
# memory flat.
LOCAL_SLICE_BYTES = 1 << 18
# Blank lines put before a slice's bytes in its scratch file when they would otherwise start
# with a NUL byte in the 8 KiB that encoding detection inspects (in a whole-file run they sit
# mid-file, where NUL is just a bad character). The readers skip blank lines; "\r\n" so that
# a header ending in a lone "\r" keeps its own line.
_PADDING_LINES = 4096
_PADDING = b"\r\n" * _PADDING_LINES
_GB18030 = "gb18030"

# One physical line as the readers split them: "\r\n", a lone "\r" or "\n", ending kept.
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+")
_BYTE_LINE = re.compile(rb"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+")


@dataclass(frozen=True)
class Slice:
    """A byte range of a JSONL or CSV file that starts at a line (once joined: at a record)."""

    path: str  # absolute, as every reader opens it
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


class FileEnd(NamedTuple):
    """Follows the slices of a file in a stream of entries: the collecting side, which sees a
    file's records only once its slices are read, tells from it that a file held none
    (`input/empty-file`)."""

    path: str  # as displayed in findings


class SliceScan(NamedTuple):
    """What `scan_slice` learnt of a slice: its lines, and for CSV whether a parse that starts
    at a row (`after_row`) or inside a quoted cell (`after_quote`) ends between rows (None:
    that parse fails)."""

    lines: int
    after_row: Optional[bool]
    after_quote: Optional[bool]


def text_slices(path: Path, display: str, suffix: str, blocksize: int, limits: Limits = DEFAULT_LIMITS) -> list[Slice]:
    """The slices of a JSONL/CSV file: byte ranges from a line start to the next one.

    Decides the encoding as the local reader does (a file it would refuse is refused here,
    with the same error); for CSV, finds the first line (the delimiter) and the header row.
    The first slice starts at the top of the file, so its reader sees what a whole-file one does.
    """
    from listcheck.catalog import encoding

    codec = encoding.detect(path, display, per_line=suffix != ".csv")
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
        Slice(
            absolute, display, suffix, codec, begin, end, total, line=1,
            header_end=header_end, header_lines=header_lines, delimiter=delimiter,
        )
        for begin, end in zip(bounds, bounds[1:] + [total])
    ]


def _csv_header(path: Path, codec: str, limits: Limits) -> tuple[str, int, int]:
    """(delimiter, bytes up to the end of the header row, lines in them); (",", 0, 0) if none.

    As `csv_format.read` reads the top of a file: the first line picks the delimiter, the
    first row with a non-empty cell is the header. Errors are left to the first slice's
    reader, which reads from the top of the file and raises them as a local run does; so is
    a file whose header is not found in its first bytes (it is then one slice).
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


def join_slices(display: str, slices: Sequence[Slice], scans: Sequence[SliceScan]) -> list[Slice]:
    """The slices of one file joined into slices that start at a record, each with its first line."""
    parts: list[Slice] = []
    first = slices[0]
    line = first.header_lines + 1  # the scan of the first block starts after the header row
    at_row = True
    for block, (lines, after_row, after_quote) in zip(slices, scans):
        if at_row:
            parts.append(dataclasses.replace(block, line=1 if block.start == 0 else line))
        else:
            parts[-1] = dataclasses.replace(parts[-1], end=block.end)
        ends = after_row if at_row else after_quote
        if ends is None:
            raise CatalogError("invalid CSV: cannot tell where its rows start", path=display, line=line)
        at_row = ends
        line += lines
    return parts


def slices_of(path: Path, display: str, suffix: str, limits: Limits = DEFAULT_LIMITS,
              blocksize: int = LOCAL_SLICE_BYTES) -> list[Slice]:
    """A file's slices, scanned and joined here (what a local `--jobs` run does in its main
    process: it reads the bytes once, counting lines, and parses nothing)."""
    slices = text_slices(path, display, suffix, blocksize, limits)
    if len(slices) == 1:
        return slices
    try:
        scans = [scan_slice(piece) for piece in slices]
    except OSError as exc:
        raise CatalogError(f"cannot read the file: {exc.strerror or exc}", path=display) from None
    return join_slices(display, slices, scans)


def scan_slice(block: Slice) -> SliceScan:
    """A slice's lines, and for CSV where a parse of it ends (see SliceScan); OSError if the
    file cannot be read."""
    with open(block.path, "rb") as stream:
        stream.seek(block.start)
        data = stream.read(block.end - block.start)
    lines = data.count(b"\n") + data.count(b"\r") - data.count(b"\r\n")
    if data and not data.endswith((b"\n", b"\r")):
        lines += 1
    if block.suffix != ".csv":
        return SliceScan(lines, True, True)
    if block.start == 0:
        data = data[block.header_end :]  # the first block is scanned after its header row
    text = data.decode(_plain(block.encoding), errors="replace")
    squashed = [_squash(line, block.delimiter) for line in _LINE.findall(text)]
    return SliceScan(
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


def read_slice(block: Slice, fields: FieldMapping, limits: Limits = DEFAULT_LIMITS) -> list[Any]:
    """The entries of a slice (records and the reader's findings), read by its format's reader,
    lines numbered as in the whole file. CatalogError (its line shifted too) for what stops
    the reader; OSError if the file cannot be read."""
    from listcheck.catalog.formats import CatalogFile, reader_for

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
            for item in reader_for(block.suffix)(CatalogFile(path, block.display), fields, limits):
                if isinstance(item, Finding):
                    item.source = _shifted(item.source, shift)
                    entries.append(item)
                else:
                    entries.append(type(item)(_shifted(item.source, shift), item.data))
        except CatalogError as exc:
            line = exc.line + shift if exc.line and exc.line > lead else exc.line
            raise CatalogError(exc.message, path=block.display, line=line) from None
    finally:
        if scratch is not None:
            os.unlink(scratch)
    return entries


def _scratch_file(block: Slice) -> tuple[str, int]:
    """A local file with the slice's bytes (after the CSV header row, if the slice is not the
    first), and the number of lines before them."""
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
            alone = encoding.detect(Path(scratch), block.display, per_line=block.suffix != ".csv")
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
