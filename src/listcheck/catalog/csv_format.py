"""CSV catalogs: a header of dotted paths (`spec.capacity`, `bullets.0`), one product per row.

Rows are streamed. A product's line is the physical line its row starts on (a quoted cell may
span lines). A row whose cell count does not match the header is reported, not guessed at:
shifted columns would put a price in a title. A row over `limits.max_record_bytes` is never
held in memory whole: it is squashed as it is read (see `_squasher`), reported as
`input/record-too-large`, and the rows after it are read as usual.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Iterator
from typing import Optional, Union

from listcheck.catalog import encoding
from listcheck.catalog.formats import CatalogFile
from listcheck.catalog.mapping import ColumnPlan, FieldMapping
from listcheck.catalog.records import Raw, record_too_large, unreadable_row
from listcheck.errors import CatalogError
from listcheck.limits import DEFAULT_LIMITS, Limits
from listcheck.model import Finding, Source

# Excel writes ";" where "," is the decimal separator, and some exports are tab-separated.
_DELIMITERS = (",", ";", "\t")
# The csv module's own bound on one cell: a backstop, as `_Feed` keeps rows under the record
# limit. Descriptions can exceed the module's default of 128 KiB.
_MIN_FIELD_LIMIT = 1 << 17
# Characters of a run that an oversized row keeps (see `_squasher`); a longer cell was cut.
_KEEP_OF_RUN = 64


def read(file: CatalogFile, fields: FieldMapping, limits: Limits = DEFAULT_LIMITS) -> Iterator[Union[Raw, Finding]]:
    path, display = file.path, file.display
    limit = limits.max_record_bytes
    csv.field_size_limit(max(_MIN_FIELD_LIMIT, min(2 * limit + _MIN_FIELD_LIMIT, 2**31 - 1)))
    with encoding.open_lines(path, display, limit) as lines:
        first = lines.next_line()
        if first is None:
            return
        if first.oversized:
            raise CatalogError(
                f"the header line is {first.size:,} bytes, over the limit of {limit:,} "
                "(limits.max_record_bytes)",
                path=display,
                line=first.number,
            )
        delimiter = _delimiter(first.text or "")
        feed = _Feed(lines, first, limit, _squasher(delimiter), display)
        reader = csv.reader(feed, delimiter=delimiter)
        try:
            yield from _rows(reader, feed, display, fields, limit)
        except csv.Error as exc:
            raise CatalogError(f"invalid CSV: {exc}", path=display, line=feed.last) from None


def _squasher(delimiter: str) -> Callable[[str], str]:
    """Shorten text without changing how the csv parser splits it into cells and rows.

    The parser's state after a run of characters that are not a quote, the delimiter or a line
    break is the same however long the run is; cutting each run to its first characters keeps
    the row's cells, quoting and end exactly where they were, and drops only text.
    """
    ordinary = '[^"\r\n' + re.escape(delimiter) + "]"
    run = re.compile(f"({ordinary}{{{_KEEP_OF_RUN}}}){ordinary}+")
    return lambda text: run.sub(r"\1", text)


class _Feed:
    """The lines csv.reader parses, with the size of the row being read kept under the limit.

    `start_record()` is called before each row; the reader asks for a second line of a row only
    inside a quoted cell. A line over the limit comes squashed (see `_squasher`), and once a
    row is over the limit its further lines are squashed too (or dropped, when they hold no
    quote: inside a quoted cell such a line only adds text), so the row is never held whole.
    """

    def __init__(
        self,
        lines: encoding.LineReader,
        first: encoding.Line,
        limit: int,
        squash: Callable[[str], str],
        display: str,
    ) -> None:
        self._lines = lines
        self._pushed: Optional[encoding.Line] = first
        self._limit = limit
        self._squash = squash
        self._display = display
        self.last = 0
        self.start_record()

    def start_record(self) -> None:
        self.first = 0  # the line the row starts on (0 until it has one)
        self.size = 0
        self.too_large = False
        self.binary = False  # a NUL byte: binary data pasted into the file

    def __iter__(self) -> "_Feed":
        return self

    def __next__(self) -> str:
        continuing = self.first != 0
        line = self._pushed
        self._pushed = None
        if line is None:
            line = self._lines.next_line(self._squash)
            if line is None:
                raise StopIteration
        if not continuing:
            self.first = line.number
        self.last = line.number
        self.size += line.size
        text = line.text
        if line.oversized:
            self.too_large = True
            if text is None:
                raise CatalogError(
                    f"line is {line.size:,} bytes with too many cells to skip safely, over "
                    f"the limit of {self._limit:,} (limits.max_record_bytes)",
                    path=self._display,
                    line=line.number,
                )
            return text
        assert text is not None
        if "\x00" in text:
            self.binary = True
        if self.size > self._limit:
            self.too_large = True
            if continuing and '"' not in text:
                return ""
            return self._squash(text)
        return text


def _rows(
    reader, feed: _Feed, display: str, fields: FieldMapping, limit: int
) -> Iterator[Union[Raw, Finding]]:
    plan: Optional[ColumnPlan] = None
    width = 0
    while True:
        feed.start_record()
        try:
            row = next(reader)
        except StopIteration:
            return
        start = feed.first
        if feed.too_large:
            if plan is None:
                raise CatalogError(
                    f"the header row is {feed.size:,} bytes, over the limit of {limit:,} "
                    "(limits.max_record_bytes)",
                    path=display,
                    line=start,
                )
            yield _too_large(Source(path=display, line=start), row, plan, feed.size, limit)
            continue
        if feed.binary:
            if plan is None:
                raise CatalogError("binary data (a NUL byte) in the header", path=display, line=start)
            yield _binary(Source(path=display, line=start), row, plan)
            continue
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


def _too_large(source: Source, row: list[str], plan: ColumnPlan, size: int, limit: int) -> Finding:
    index = plan.sku_column
    sku = row[index] if index is not None and index < len(row) else None
    # A cell as long as a squashed run may have been cut: name the row only by a whole sku.
    if not sku or len(sku) >= _KEEP_OF_RUN:
        sku = None
    return record_too_large(source, size, limit, "row", sku=sku)


def _binary(source: Source, row: list[str], plan: ColumnPlan) -> Finding:
    index = plan.sku_column
    sku = row[index] if index is not None and index < len(row) and row[index] else None
    if sku is not None and "\x00" in sku:
        sku = None
    return unreadable_row(
        source,
        "row holds binary data (a NUL byte); the row is skipped",
        "该行含有二进制数据（NUL 字节）；已跳过该行",
        sku=sku,
    )


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
