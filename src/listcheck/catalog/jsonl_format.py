"""JSON Lines catalogs (.jsonl, .ndjson): one product object per line, streamed.

A line that is not valid JSON becomes an `input` finding for that line and the rest of the
file is still read: a long export with one damaged line is not lost.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Union

from listcheck.catalog import encoding
from listcheck.catalog.mapping import FieldMapping
from listcheck.catalog.records import Raw, unreadable_row
from listcheck.model import Finding, Source

_loads = json.loads


def read(
    path: Path, display: str, fields: FieldMapping, explicit: bool
) -> Iterator[Union[Raw, Finding]]:
    number = 0
    with encoding.open_text(path, display) as lines:
        try:
            for number, line in enumerate(lines, 1):
                try:
                    value = _loads(line)
                except json.JSONDecodeError as exc:
                    if line.isspace():
                        continue
                    yield _bad_line(display, number, exc.msg, exc.colno)
                    continue
                except (ValueError, RecursionError) as exc:
                    yield _bad_line(display, number, str(exc) or type(exc).__name__, None)
                    continue
                yield Raw(Source(path=display, line=number), fields.record(value))
        except UnicodeDecodeError:
            raise encoding.decode_error(display, number + 1) from None


def _bad_line(display: str, number: int, reason: str, column: Union[int, None]) -> Finding:
    at = f" (column {column})" if column else ""
    at_zh = f"（第 {column} 列）" if column else ""
    return unreadable_row(
        Source(path=display, line=number),
        f"line is not valid JSON: {reason}{at}; the line is skipped",
        f"该行不是有效的 JSON：{reason}{at_zh}；已跳过该行",
    )
