"""CSV catalogs: a header of dotted paths (`spec.capacity`, `bullets.0`), one product per row.

Rows are streamed. A product's line is the physical line its row starts on (a quoted cell may
span lines). A row whose cell count does not match the header is reported, not guessed at:
shifted columns would put a price in a title.
"""

from __future__ import annotations

import csv
import sys
from collections.abc import Iterator
from itertools import chain
from pathlib import Path
from typing import Optional, Union

from listcheck.catalog import encoding
from listcheck.catalog.mapping import ColumnPlan, FieldMapping
from listcheck.catalog.records import Raw, unreadable_row
from listcheck.errors import CatalogError
from listcheck.model import Finding, Source

# Descriptions can exceed the csv module's default 128 KiB cell limit; the real bound on a
# text field is Limits.max_field_chars, applied by the checks.
csv.field_size_limit(min(sys.maxsize, 2**31 - 1))

# Excel writes ";" where "," is the decimal separator, and some exports are tab-separated.
_DELIMITERS = (",", ";", "\t")


def read(
    path: Path, display: str, fields: FieldMapping, explicit: bool
) -> Iterator[Union[Raw, Finding]]:
    with encoding.open_text(path, display, newline="") as stream:
        try:
            first = stream.readline()
        except UnicodeDecodeError:
            raise encoding.decode_error(display, 1) from None
        reader = csv.reader(chain((first,), stream), delimiter=_delimiter(first))
        try:
            yield from _rows(reader, display, fields)
        except csv.Error as exc:
            raise CatalogError(f"invalid CSV: {exc}", path=display, line=reader.line_num) from None
        except UnicodeDecodeError:
            raise encoding.decode_error(display, reader.line_num + 1) from None


def _rows(reader, display: str, fields: FieldMapping) -> Iterator[Union[Raw, Finding]]:
    plan: Optional[ColumnPlan] = None
    width = 0
    end = 0
    for row in reader:
        start = end + 1
        end = reader.line_num
        if not any(row):
            # Blank lines and rows of empty cells (",,,,") carry no product.
            continue
        if plan is None:
            plan = fields.columns(row, path=display, line=start)
            if not plan.has_sku:
                raise CatalogError(
                    "the header has no 'sku' column (found: "
                    + ", ".join(repr(name) for name in plan.headers if name)
                    + "); name one 'sku' or map one onto it with `mapping`",
                    path=display,
                    line=start,
                )
            width = plan.width
            continue
        source = Source(path=display, line=start)
        if len(row) != width:
            if len(row) > width and not any(row[width:]):
                # Trailing empty cells (a stray comma at the end of the line) hold no data.
                row = row[:width]
            else:
                yield _wrong_width(source, row, plan)
                continue
        yield Raw(source, plan.build(row))


def _wrong_width(source: Source, row: list[str], plan: ColumnPlan) -> Finding:
    index = plan.sku_column
    sku = row[index] if index is not None and index < len(row) and row[index] else None
    cells, columns = len(row), plan.width
    return unreadable_row(
        source,
        f"row has {cells} cells but the header has {columns} columns; the row is skipped "
        "(is a comma or a quote missing?)",
        f"该行有 {cells} 个单元格，但表头有 {columns} 列；已跳过该行（是否缺少逗号或引号？）",
        sku=sku,
    )


def _delimiter(header_line: str) -> str:
    counts = [header_line.count(delimiter) for delimiter in _DELIMITERS]
    best = max(range(len(_DELIMITERS)), key=lambda i: (counts[i], -i))
    return _DELIMITERS[best] if counts[best] else ","
