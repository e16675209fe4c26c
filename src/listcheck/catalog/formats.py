"""The catalog formats a local run reads, and the module of each one's reader."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from importlib import import_module
from pathlib import Path
from typing import NamedTuple, Union

from listcheck.catalog import records
from listcheck.model import Finding

CATALOG_SUFFIXES: tuple[str, ...] = (
    ".yaml",
    ".yml",
    ".json",
    ".jsonl",
    ".ndjson",
    ".csv",
    ".xlsx",
)

class CatalogFile(NamedTuple):
    """One catalog file, as every reader (`catalog.<format>.read(file, fields, limits)`) is given it."""

    path: Path  # what is opened (a slice's scratch file, for `catalog.partition`)
    display: str  # how findings and errors name it
    # Named by the user rather than met in a folder walk: a walk skips a YAML file that is
    # not a catalog (a rule pack), a named one is an error.
    explicit: bool = True


_Reader = Callable[..., Iterable[Union[records.Raw, Finding]]]

# The module of each format's reader, imported when a file of that format is read: a JSON
# Lines run needs neither PyYAML nor openpyxl, and importing them is a tenth of a one-product run.
_READERS: dict[str, str] = {
    ".yaml": "yaml_format",
    ".yml": "yaml_format",
    ".json": "json_format",
    ".jsonl": "jsonl_format",
    ".ndjson": "jsonl_format",
    ".csv": "csv_format",
    ".xlsx": "xlsx_format",
}


def reader_for(suffix: str) -> _Reader:
    """The read function for files of `suffix` (one of CATALOG_SUFFIXES)."""
    return import_module(f"listcheck.catalog.{_READERS[suffix]}").read
