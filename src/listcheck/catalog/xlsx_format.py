"""Excel workbooks (.xlsx): every worksheet whose header row has a `sku` column is a catalog.

Read with openpyxl in read-only mode (rows stream from the zip, memory stays flat) and
data_only (a formula cell gives the value Excel last computed, not the formula). Other sheets
(notes, lookups, pivot tables) are skipped. A product's source is the sheet and its row.

A date cell is its ISO text (`2024-05-01`, `2024-05-01 13:30:00`). A date-formatted cell whose
number is no date Python can hold (year 1 to 9999) keeps its number, as if it had no date
format; openpyxl's warnings are never shown (they would clutter a CI log, and stderr is kept for
the one error line of a run that cannot be done).
"""

from __future__ import annotations

import datetime as dt
import re
import warnings
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Optional
from xml.etree.ElementTree import ParseError


from listcheck.catalog.formats import CatalogFile
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


def read(file: CatalogFile, fields: FieldMapping, limits: Limits = DEFAULT_LIMITS) -> Iterator[Raw]:
    path, display = file.path, file.display
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
    # Dates out of range, by (row, column index): openpyxl parses a row with data ahead of the
    # empty rows it fills in before it, so a warning can come while an earlier row is fetched.
    restored: dict[tuple[int, int], Any] = {}
    while True:
        try:
            row, caught = _next_row(rows)
        except StopIteration:
            return
        except _BROKEN as exc:
            raise CatalogError(
                f"damaged worksheet {sheet.title!r} ({type(exc).__name__}: {exc})",
                path=display,
                line=number + 1,
            ) from None
        number += 1
        for warning in caught:
            found = _bad_date(warning.message)
            if found is not None:
                restored[found[0]] = found[1]
        if restored:
            row = _restore(row, number, restored)
        yield number, row


def _next_row(rows: Iterator[tuple[Any, ...]]) -> tuple[tuple[Any, ...], list[warnings.WarningMessage]]:
    """The next row and the warnings openpyxl gave while parsing it, none of them shown.

    openpyxl parses a worksheet lazily, so it warns during iteration, not only in
    load_workbook (a date-formatted cell whose number is no date, unsupported extensions).
    The filter is set around each fetch, not around the generator that yields the rows: a
    generator suspended inside `catch_warnings()` leaves its filters in place for whatever
    the consumer does until the next row, and restores them out of order if generators
    interleave. Here they are restored before the row is handed on, and the rest of the
    program keeps its own warning filters."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")  # record every one: a repeat is another cell
        row = next(rows)
    return row, caught


# openpyxl's warning for a date-formatted cell whose number is outside the dates Python has
# (year 1-9999): it then gives the text "#VALUE!" and the number is gone. A number of more
# than 400 characters (or another wording in a later openpyxl) is not matched: the cell then
# stays "#VALUE!", still without a warning shown.
_BAD_DATE = re.compile(
    r"Cell ([A-Z]{1,3})([0-9]{1,7}) is marked as a date but the serial value (\S{1,400}) is outside"
)


def _bad_date(message: Any) -> Optional[tuple[tuple[int, int], Any]]:
    """((row, column index), the cell's number) from that warning; None for any other."""
    found = _BAD_DATE.match(str(message))
    if found is None:
        return None
    from openpyxl.utils import column_index_from_string

    letters, row, number = found.groups()
    try:
        value: Any = int(number)
    except ValueError:
        try:
            value = float(number)
        except ValueError:
            return None
    return (int(row), column_index_from_string(letters) - 1), value


def _restore(row: tuple[Any, ...], number: int, restored: dict[tuple[int, int], Any]) -> tuple[Any, ...]:
    """`row` with the numbers of its out-of-range dates put back in place of "#VALUE!".

    Such a cell keeps the number it holds (what a cell without the date format gives), so
    the product is read and checked with nothing lost; a rule that wants a date sees a number.
    """
    cells = list(row)
    # `<=`: an entry is never carried past its row, whatever row openpyxl named.
    for key in [key for key in restored if key[0] <= number]:
        value = restored.pop(key)
        column = key[1]
        if key[0] == number and column < len(cells) and cells[column] == "#VALUE!":
            cells[column] = value
    return tuple(cells)


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
