"""Excel workbooks (.xlsx): every worksheet whose header row has a `sku` column is a catalog.

Read with openpyxl in read-only mode (rows stream from the zip, memory stays flat) and
data_only (a formula cell gives the value Excel last computed, not the formula). Other sheets
(notes, lookups, pivot tables) are skipped. A product's source is the sheet and its row.
"""

from __future__ import annotations

import datetime as dt
import warnings
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Optional
from xml.etree.ElementTree import ParseError


from listcheck.catalog.mapping import ColumnPlan, FieldMapping, split_path
from listcheck.catalog.records import Raw
from listcheck.errors import CatalogError
from listcheck.limits import DEFAULT_LIMITS, Limits
from listcheck.model import Source

# What a damaged or mislabelled workbook makes openpyxl raise (and its InvalidFileException).
_BROKEN = (
    zipfile.BadZipFile,
    KeyError,
    ValueError,
    TypeError,
    IndexError,
    ParseError,
    EOFError,
    zlib.error,
)

# Product fields that hold text: a number typed into one of these cells (a numeric category
# id, a supplier code) is the text it shows, as it would be in a CSV export.
_TEXT_FIELDS = frozenset(
    {"title", "description", "category", "platform", "market", "locale", "supplier"}
)
_TEXT_SUBFIELDS = frozenset(
    {"return_policy.return_shipping", "return_policy.exemption", "return_policy.text"}
)


def read(
    path: Path,
    display: str,
    fields: FieldMapping,
    explicit: bool,
    limits: Limits = DEFAULT_LIMITS,
) -> Iterator[Raw]:
    _check_unpacked(path, display, limits)
    # Imported here: openpyxl takes ~70 ms to import, a third of a one-product run's budget.
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        with warnings.catch_warnings():
            # openpyxl warns about styles and extensions it ignores; they say nothing about
            # the catalog and would clutter a CI log.
            warnings.simplefilter("ignore")
            workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except OSError as exc:
        raise CatalogError(f"cannot read the file: {exc.strerror or exc}", path=display) from None
    except (*_BROKEN, InvalidFileException) as exc:
        raise CatalogError(
            f"not a readable .xlsx workbook ({type(exc).__name__}: {exc})", path=display
        ) from None
    try:
        has_data = False
        has_catalog = False
        sheets = []
        for sheet in workbook.worksheets:
            sheets.append(sheet.title)
            rows = _rows(sheet, display)
            header = _header(rows)
            if header is None:
                continue
            has_data = True
            line, cells = header
            plan = fields.columns(cells, path=display, line=line, sheet=sheet.title)
            if not plan.has_sku:
                continue
            has_catalog = True
            yield from _products(rows, plan, display, sheet.title)
        if has_data and not has_catalog:
            raise CatalogError(
                "no worksheet has a 'sku' column in its first row (sheets: "
                + ", ".join(repr(name) for name in sheets)
                + "); name one 'sku' or map one onto it with `mapping`",
                path=display,
            )
    finally:
        workbook.close()


# The part openpyxl holds in memory whole, even in read-only mode.
_SHARED_STRINGS = "xl/sharedStrings.xml"


def _check_unpacked(path: Path, display: str, limits: Limits) -> None:
    """Refuse a zip bomb before openpyxl unpacks it: the sizes a zip declares are the most
    its parts unpack to (zipfile stops at the declared size)."""
    try:
        with zipfile.ZipFile(path) as archive:
            parts = archive.infolist()
    except OSError as exc:
        raise CatalogError(f"cannot read the file: {exc.strerror or exc}", path=display) from None
    except (zipfile.BadZipFile, ValueError, EOFError) as exc:
        raise CatalogError(
            f"not a readable .xlsx workbook ({type(exc).__name__}: {exc})", path=display
        ) from None
    total = sum(part.file_size for part in parts)
    if total > limits.max_file_bytes:
        raise CatalogError(
            f"the workbook unpacks to {total:,} bytes, over the limit of "
            f"{limits.max_file_bytes:,} (limits.max_file_bytes); is it a zip bomb?",
            path=display,
        )
    for part in parts:
        if part.filename == _SHARED_STRINGS and part.file_size > limits.max_document_bytes:
            raise CatalogError(
                f"the workbook's shared text ({_SHARED_STRINGS}) unpacks to "
                f"{part.file_size:,} bytes, over the limit of {limits.max_document_bytes:,} "
                "(limits.max_document_bytes); save the catalog as CSV",
                path=display,
            )


def _rows(sheet: Any, display: str) -> Iterator[tuple[int, tuple[Any, ...]]]:
    # Exports often carry a wrong <dimension>; reading without it gets every row.
    sheet.reset_dimensions()
    rows = sheet.iter_rows(values_only=True)
    number = 0
    while True:
        try:
            row = next(rows)
        except StopIteration:
            return
        except _BROKEN as exc:
            raise CatalogError(
                f"damaged worksheet {sheet.title!r} ({type(exc).__name__}: {exc})",
                path=display,
                line=number + 1,
            ) from None
        number += 1
        yield number, row


def _header(rows: Iterator[tuple[int, tuple[Any, ...]]]) -> Optional[tuple[int, tuple[Any, ...]]]:
    for number, row in rows:
        if _has_value(row):
            return number, row
    return None


def _products(
    rows: Iterator[tuple[int, tuple[Any, ...]]], plan: ColumnPlan, display: str, sheet: str
) -> Iterator[Raw]:
    width = plan.width
    text_columns = [
        index
        for index, name in enumerate(plan.names)
        if name is not None and _is_text_field(name)
    ]
    for number, row in rows:
        if not _has_value(row):
            continue
        values = [_cell(value) for value in row[:width]]
        if len(values) < width:
            values.extend([None] * (width - len(values)))
        for index in text_columns:
            value = values[index]
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                values[index] = str(value)
        yield Raw(Source(path=display, line=number, sheet=sheet), plan.build(values))


def _has_value(row: tuple[Any, ...]) -> bool:
    return any(value is not None and value != "" for value in row)


def _cell(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        # Excel stores every number as a float; 7.0 days is 7.
        return int(value)
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return str(value)
    return value


def _is_text_field(name: str) -> bool:
    if name in _TEXT_FIELDS or name in _TEXT_SUBFIELDS:
        return True
    segments = split_path(name)
    return segments is not None and len(segments) == 2 and segments[0] == "bullets"
