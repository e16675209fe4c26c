"""Reading catalogs: files and folders in, validated Products (with their sources) out.

`discover()` turns the user's paths into catalog files; `iter_products()` streams their
products in a deterministic order. A bad record becomes an `input` finding in the stream and
the run goes on; only a file that cannot be read at all raises `CatalogError`.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Optional, Union

from listcheck.catalog import partition, records
from listcheck.catalog.formats import CATALOG_SUFFIXES, CatalogFile, reader_for
from listcheck.catalog.duplicates import DuplicateSkus
from listcheck.catalog.mapping import FieldMapping
from listcheck.errors import CatalogError
from listcheck.limits import DEFAULT_LIMITS, Limits
from listcheck.model import Finding, Product

__all__ = [
    "CATALOG_SUFFIXES", "CatalogFile", "check_size", "discover", "empty_folders", "expand_paths", "iter_entries", "iter_products",
    "read_file", "reader_for",
]

# listcheck's own files that sit next to catalogs; a folder walk never reads them as products.
_OWN_FILES = frozenset(
    {"listcheck.yaml", "listcheck.yml", ".listcheck.yaml", "listcheck-baseline.json"}
)

# Formats parsed in one piece, bounded by limits.max_document_bytes.
_WHOLE_DOCUMENT = frozenset({".yaml", ".yml", ".json"})



def discover(paths: Sequence[Union[str, Path]]) -> list[Path]:
    """Expand the user's paths into catalog files, in the order they will be read.

    A file is taken as it is (its suffix must be one of CATALOG_SUFFIXES); a folder is walked
    recursively in sorted order, keeping files with a catalog suffix and leaving out hidden
    files and folders, Excel lock files (~$*) and listcheck's own config and baseline files.
    The same file reached twice is read once. A missing path is a CatalogError.
    """
    return [path for path, _explicit in expand_paths(paths)]


def empty_folders(paths: Sequence[Union[str, Path]], suffixes: tuple[str, ...] = CATALOG_SUFFIXES) -> list[Path]:
    """The folders among `paths` that hold no catalog file: a run over one checks nothing, and
    a gate that passes on nothing is no gate (a wrong path, an export not yet written)."""
    return [Path(given) for given in paths if Path(given).is_dir() and not _walk(Path(given), suffixes)]


def iter_products(
    paths: Sequence[Union[str, Path]],
    *,
    mapping: Optional[Mapping[str, str]] = None,
    limits: Limits = DEFAULT_LIMITS,
) -> Iterator[Union[Product, Finding]]:
    """Stream the products of the catalogs at `paths`, with input findings in their place.

    Files come in `discover()` order, records in file order. Each Product has its source set.
    A record that fails validation, a row that cannot be read, a record over
    `limits.max_record_bytes` and a sku seen before in the run each yield one `input` finding
    instead of a product; a file without records yields one `input/empty-file` warning. A
    file that cannot be read at all (or over a file limit) raises CatalogError.
    """
    duplicates = DuplicateSkus()
    for entry in iter_entries(paths, fields=FieldMapping(mapping), limits=limits):
        if isinstance(entry, Finding):
            yield entry
            continue
        result = records.build(entry.data, entry.source, entry.chars)
        valid = isinstance(result, Product)
        duplicate = duplicates.see(result.sku, result.supplier, result.source, valid=valid)
        yield duplicate if duplicate is not None else result


def iter_entries(
    paths: Sequence[Union[str, Path]],
    *,
    fields: FieldMapping,
    limits: Limits = DEFAULT_LIMITS,
    defer: bool = False,
) -> Iterator[Union[records.Raw, Finding, "partition.Slice", "partition.FileEnd"]]:
    """The records of the catalogs at `paths`, as read and not yet validated, with the
    findings of the readers (and `input/empty-file`) in their place.

    With `defer`, JSON Lines and CSV files are not read here but cut into slices
    (`partition.Slice`, each followed by the file's `partition.FileEnd`): the process that
    checks a slice reads it (`listcheck.pipeline`), so the process that cuts the file only
    counts its lines.
    """
    for path, explicit in expand_paths(paths):
        display = str(path)
        suffix = path.suffix.lower()
        check_size(path, display, limits, suffix)
        if defer and suffix in partition.SLICED_SUFFIXES:
            yield from partition.slices_of(path, display, suffix, limits)
            yield partition.FileEnd(display)
            continue
        yield from read_file(CatalogFile(path, display, explicit), fields, limits)


def read_file(file: CatalogFile, fields: FieldMapping, limits: Limits = DEFAULT_LIMITS) -> Iterator[Union[records.Raw, Finding]]:
    """One file's entries, read whole by its format's reader: records and the reader's findings,
    `input/empty-file` for a file without records, nothing for a file a folder walk skips (a
    rule pack); CatalogError for a file that cannot be read."""
    count = 0
    try:
        for entry in reader_for(file.path.suffix.lower())(file, fields, limits):
            count += 1
            yield entry
    except records.SkipFile:
        return
    except OSError as exc:
        raise CatalogError(f"cannot read the file: {exc.strerror or exc}", path=file.display) from None
    if count == 0:
        yield records.empty_file(file.display)


def check_size(path: Path, display: str, limits: Limits, suffix: str) -> None:
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise CatalogError(f"cannot read the file: {exc.strerror or exc}", path=display) from None
    if size > limits.max_file_bytes:
        raise CatalogError(
            f"the file is {size:,} bytes, over the limit of {limits.max_file_bytes:,} "
            "(limits.max_file_bytes); split it or raise the limit",
            path=display,
        )
    if suffix in _WHOLE_DOCUMENT and size > limits.max_document_bytes:
        raise CatalogError(
            f"the file is {size:,} bytes, over the limit of {limits.max_document_bytes:,} for "
            "a YAML or JSON catalog, which is read in one piece (limits.max_document_bytes); "
            "use JSON Lines or CSV for a catalog this large, or raise the limit",
            path=display,
        )


def expand_paths(
    paths: Sequence[Union[str, Path]], suffixes: tuple[str, ...] = CATALOG_SUFFIXES
) -> list[tuple[Path, bool]]:
    """(file, named explicitly?) for every catalog file, in reading order, each file once.

    `suffixes` lets an engine that reads more formats (Parquet on Dask) share this walk."""
    found: list[tuple[Path, bool]] = []
    index_of: dict[str, int] = {}

    def add(path: Path, explicit: bool) -> None:
        identity = os.path.realpath(path)
        index = index_of.get(identity)
        if index is None:
            index_of[identity] = len(found)
            found.append((path, explicit))
        elif explicit:
            found[index] = (found[index][0], True)

    for given in paths:
        path = Path(given)
        if path.is_dir():
            for file in _walk(path, suffixes):
                add(file, False)
        elif path.is_file():
            if path.suffix.lower() not in suffixes:
                raise CatalogError(
                    f"unknown catalog format {path.suffix or '(no suffix)'!r}; "
                    f"expected one of {', '.join(suffixes)}",
                    path=str(given),
                )
            add(path, True)
        elif path.exists():
            raise CatalogError("not a regular file or folder", path=str(given))
        else:
            raise CatalogError("no such file or folder", path=str(given))
    return found


def _walk(root: Path, suffixes: tuple[str, ...] = CATALOG_SUFFIXES) -> list[Path]:
    files: list[tuple[tuple[str, ...], Path]] = []

    def unreadable(error: OSError) -> None:
        # A folder we may not list could hold catalogs: say so rather than check less.
        raise CatalogError(
            f"cannot read the folder: {error.strerror or error}",
            path=error.filename or str(root),
        )

    for folder, subfolders, names in os.walk(root, onerror=unreadable):
        # Pruning in place keeps os.walk out of hidden folders (.git, .venv, ...).
        subfolders[:] = [name for name in subfolders if not name.startswith(".")]
        here = Path(folder)
        for name in names:
            if name.startswith((".", "~$")) or name in _OWN_FILES:
                continue
            if os.path.splitext(name)[1].lower() not in suffixes:
                continue
            file = here / name
            if not file.is_file():
                continue
            files.append((file.relative_to(root).parts, file))
    files.sort(key=lambda entry: entry[0])
    return [file for _parts, file in files]
