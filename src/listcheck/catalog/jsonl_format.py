"""JSON Lines catalogs (.jsonl, .ndjson): one product object per line, streamed.

A line that is not valid JSON, or not valid UTF-8 (a damaged byte, a line pasted from a
Latin-1 export), becomes an `input` finding for that line and the rest of the file is still
read: a long export with one damaged line is not lost. A line over
`limits.max_record_bytes` is never read into memory: it is skipped in chunks, reported as
`input/record-too-large`, and the lines after it are read as usual.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Optional, Union

from listcheck.catalog import encoding
from listcheck.catalog.formats import CatalogFile
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
from listcheck.errors import RecordError
from listcheck.limits import DEFAULT_LIMITS, Limits
from listcheck.model import Finding, Source

_loads = json.JSONDecoder(parse_int=catalog_int).decode

# The sku of an oversized line, when the line starts with it: the finding can then name it.
_SKU_AT_START = re.compile(rb'\s*\{\s*"sku"\s*:\s*(?:"([^"\\\x00-\x1f]{1,200})"|(-?[0-9]{1,30})[\s,}])')


def read(file: CatalogFile, fields: FieldMapping, limits: Limits = DEFAULT_LIMITS) -> Iterator[Union[Raw, Finding]]:
    path, display = file.path, file.display
    with encoding.open_lines(path, display, limits.max_record_bytes, per_line=True) as lines:
        yield from _read_lines(lines, display, fields, limits)


def _read_lines(
    lines: encoding.LineReader, display: str, fields: FieldMapping, limits: Limits
) -> Iterator[Union[Raw, Finding]]:
    for line in lines:
        number = line.number
        if line.oversized:
            source = Source(path=display, line=number)
            yield record_too_large(
                source, line.size, limits.max_record_bytes, "line", sku=_sku_of(line.head)
            )
            continue
        if line.undecodable:
            yield unreadable_row(
                Source(path=display, line=number),
                "line is not valid UTF-8 text; the line is skipped (save the file as UTF-8)",
                "该行不是有效的 UTF-8 文本；已跳过该行（请将文件另存为 UTF-8）",
                sku=_sku_of(line.head),
            )
            continue
        text = line.text
        if not text or text.isspace():
            continue
        source = Source(path=display, line=number)
        yield parse_line(source, text, fields)


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
