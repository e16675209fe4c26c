"""Parquet catalogs (`.parquet`, `.pq`), read with pyarrow one row group at a time; a format of
the Dask engine (`--engine dask`), not of a local run.

A product's `line` is its row number in the file (from 1); nulls are absent fields, as empty
CSV cells are; dotted column names and `mapping` apply as they do to CSV headers.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterator

from listcheck.catalog.mapping import FieldMapping
from listcheck.catalog.records import Raw
from listcheck.errors import CatalogError, ListcheckError
from listcheck.model import Source

PARQUET_SUFFIXES = (".parquet", ".pq")


def import_parquet() -> Any:
    try:
        import pyarrow.parquet as pq
    except ImportError:
        raise ListcheckError("Parquet input needs pyarrow: pip install 'listcheck[dask]'") from None
    return pq


def row_groups(path: Path, display: str) -> list[tuple[int, int]]:
    """(row group, the row number it starts at) for each row group of a Parquet file."""
    pq = import_parquet()
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


def read_row_group(path: str, display: str, group: int, first_row: int, fields: FieldMapping) -> Iterator[Raw]:
    """The records of one row group; OSError if the file cannot be read."""
    table = import_parquet().ParquetFile(path).read_row_group(group)
    rows = table.to_pylist(maps_as_pydicts="lossy")
    return (
        Raw(Source(path=display, line=first_row + index), fields.record(_without_nulls(row)))
        for index, row in enumerate(rows)
    )


def _without_nulls(value: Any) -> Any:
    """Nulls are absent fields, as empty CSV cells are."""
    if isinstance(value, dict):
        return {key: _without_nulls(item) for key, item in value.items() if item is not None}
    if isinstance(value, list):
        return [_without_nulls(item) for item in value if item is not None]
    return value
