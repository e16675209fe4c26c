"""JSON Lines catalogs (.jsonl, .ndjson): one product object per line, streamed.

A line that is not valid JSON becomes an `input` finding for that line and the rest of the
file is still read: a long export with one damaged line is not lost. A line over
`limits.max_record_bytes` is never read into memory: it is skipped in chunks, reported as
`input/record-too-large`, and the lines after it are read as usual.
"""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple, Optional, Union

from listcheck.catalog import encoding
from listcheck.catalog.mapping import FieldMapping
from listcheck.catalog.records import (
    Raw,
    catalog_int,
    check_depth,
    may_hold_surrogates,
    record_too_large,
    replace_surrogates,
    unreadable_row,
)
from listcheck.errors import CatalogError, RecordError
from listcheck.limits import DEFAULT_LIMITS, Limits
from listcheck.model import Finding, Source

_loads = json.JSONDecoder(parse_int=catalog_int).decode

# The sku of an oversized line, when the line starts with it: the finding can then name it.
_SKU_AT_START = re.compile(rb'\s*\{\s*"sku"\s*:\s*(?:"([^"\\\x00-\x1f]{1,200})"|(-?[0-9]{1,30})[\s,}])')


class JsonLine(str):
    """A line left unparsed by `read(defer=True)`; `parse_line` makes it a record."""

    __slots__ = ()


class JsonBlock(NamedTuple):
    """Whole lines of a JSON Lines file, as bytes, left by `read(defer=True)` for the checking
    process to split, decode and parse (`block_entries`): the reading process only cuts the
    file at a line end, so with `--jobs` it costs next to nothing per line."""

    path: str  # as displayed in findings
    first_line: int  # the number of the block's first line, from 1
    data: bytes  # ends at a line end, or at the end of the file
    codec: str  # UTF8 or GB18030 (a BOM is already dropped)
    lines: int  # how many lines `data` holds: the weight of the block in a task


# A block holds about this many bytes (then the rest of its last line).
BLOCK_BYTES = 1 << 18


def read(
    path: Path,
    display: str,
    fields: FieldMapping,
    explicit: bool,
    limits: Limits = DEFAULT_LIMITS,
    *,
    defer: bool = False,
) -> Iterator[Union[Raw, Finding]]:
    if defer:
        yield from _blocks(path, display, fields, limits)
        return
    with encoding.open_lines(path, display, limits.max_record_bytes) as lines:
        yield from _read_lines(lines, display, fields, limits, defer=False)


def _read_lines(
    lines: encoding.LineReader, display: str, fields: FieldMapping, limits: Limits, *, defer: bool
) -> Iterator[Union[Raw, Finding]]:
    for line in lines:
        number = line.number
        if line.oversized:
            source = Source(path=display, line=number)
            yield record_too_large(
                source, line.size, limits.max_record_bytes, "line", sku=_sku_of(line.head)
            )
            continue
        text = line.text
        if not text or text.isspace():
            continue
        source = Source(path=display, line=number)
        yield Raw(source, JsonLine(text)) if defer else parse_line(source, text, fields)


def _blocks(
    path: Path, display: str, fields: FieldMapping, limits: Limits
) -> Iterator[Union[JsonBlock, Raw, Finding]]:
    """The file cut into JsonBlocks. From a block with a line the line reader must handle — one
    over limits.max_record_bytes, or a lone \r ending a line — to the end of the file, lines
    are read one by one as `read` reads them."""
    detected = encoding.detect(path, display)
    codec = encoding.UTF8 if detected == encoding.UTF8_BOM else detected  # the BOM is skipped below
    limit = limits.max_record_bytes
    size = min(BLOCK_BYTES, limit)  # every line but a block's last is then within the limit
    try:
        stream = open(path, "rb")
    except OSError as exc:
        raise CatalogError(f"cannot read the file: {exc.strerror or exc}", path=display) from exc
    with stream:
        if detected == encoding.UTF8_BOM:
            stream.read(len(codecs.BOM_UTF8))
        before = 0  # lines before the block
        while True:
            offset = stream.tell()
            data = stream.read(size)
            if not data:
                return
            tail = len(data) - data.rfind(b"\n") - 1  # bytes of an unfinished last line
            if tail:
                rest = stream.readline(limit + 1)
                data += rest
                tail += len(rest)
            lone_cr = b"\r" in data and data.count(b"\r") != data.count(b"\r\n")
            if tail > limit or lone_cr:
                stream.seek(offset)
                lines = encoding.LineReader(stream, codec, display, limit, first_line=before + 1)
                yield from _read_lines(lines, display, fields, limits, defer=True)
                return
            count = data.count(b"\n") + (not data.endswith(b"\n"))
            if not _blank(data, codec):
                yield JsonBlock(display, before + 1, data, codec, count)
            before += count


# White space as str.isspace sees it, in ASCII (bytes.isspace leaves out \x1c-\x1f).
_ASCII_SPACE = bytes(code for code in range(128) if chr(code).isspace())


def _blank(data: bytes, codec: str) -> bool:
    """Does the block hold only white space (lines `read` skips, as str.isspace sees them)?"""
    if codec == encoding.UTF8:
        # The first byte that is not ASCII white space decides the usual case at once: an ASCII
        # character (a line's "{"). Only a block whose first such character is not ASCII (U+3000,
        # NBSP, or text) is decoded.
        start = data.lstrip(_ASCII_SPACE)
        if not start:
            return True
        if start[0] < 0x80:
            return False
    try:
        return str(data, codec).isspace()  # U+3000, NBSP... or a multi-byte codec
    except UnicodeDecodeError:
        return False  # the worker that splits the block reports it, with the line


def block_entries(block: JsonBlock, fields: FieldMapping) -> Iterator[Union[Raw, Finding]]:
    """The records of a JsonBlock, as `read` gives them line by line: the same line numbers,
    the same text (with its line ending, so a JSON error names the same column), the same
    blank lines skipped."""
    number = block.first_line - 1
    for raw in block.data.splitlines(keepends=True):  # \n or \r\n: a block has no lone \r
        number += 1
        try:
            text = str(raw, block.codec)
        except UnicodeDecodeError:
            raise encoding.decode_error(block.path, number) from None
        if text.isspace():
            continue
        yield parse_line(Source(path=block.path, line=number), text, fields)


def parse_line(source: Source, text: str, fields: FieldMapping) -> Union[Raw, Finding]:
    """One line as a record, or the `input` finding for a line that is not a JSON record."""
    try:
        value = _loads(text)
    except json.JSONDecodeError as exc:
        return _bad_line(source, exc.msg, exc.colno)
    except (ValueError, RecursionError) as exc:
        return _bad_line(source, str(exc) or type(exc).__name__, None)
    value = check_depth(value, text)
    if may_hold_surrogates(text) and not isinstance(value, RecordError):
        value = replace_surrogates(value)
    return Raw(source, fields.record(value), len(text))


def _sku_of(head: bytes) -> Optional[str]:
    found = _SKU_AT_START.match(head)
    if found is None:
        return None
    value = found.group(1) or found.group(2)
    try:
        return value.decode("utf-8")
    except UnicodeDecodeError:
        return None


def _bad_line(source: Source, reason: str, column: Union[int, None]) -> Finding:
    at = f" (column {column})" if column else ""
    at_zh = f"（第 {column} 列）" if column else ""
    return unreadable_row(
        source,
        f"line is not valid JSON: {reason}{at}; the line is skipped",
        f"该行不是有效的 JSON：{reason}{at_zh}；已跳过该行",
    )
