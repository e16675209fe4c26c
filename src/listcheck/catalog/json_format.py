"""JSON catalogs: one document holding a list of products, or `{"products": [...]}`.

`json.loads` would lose where each product starts, so the product array is walked by hand:
each element is decoded with `raw_decode` at its own offset, and the offset gives its line.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from json.decoder import scanstring
from typing import Any, Optional

from listcheck.catalog import encoding
from listcheck.catalog.formats import CatalogFile
from listcheck.catalog.mapping import FieldMapping
from listcheck.catalog.records import (
    Raw,
    catalog_int,
    check_depth,
    may_hold_surrogates,
    products_in,
    replace_surrogates,
)
from listcheck.errors import CatalogError, RecordError
from listcheck.limits import DEFAULT_LIMITS, Limits
from listcheck.model import Source

_WHITESPACE = re.compile(r"[ \t\n\r]*")
_decoder = json.JSONDecoder(parse_int=catalog_int)


def read(file: CatalogFile, fields: FieldMapping, limits: Limits = DEFAULT_LIMITS) -> Iterator[Raw]:
    path, display = file.path, file.display
    text = encoding.read_text(path, display)
    try:
        document, offsets = _parse(text)
    except json.JSONDecodeError as exc:
        raise CatalogError(f"invalid JSON: {exc.msg}", path=display, line=exc.lineno) from None
    except RecursionError:
        raise CatalogError("JSON nested too deeply", path=display) from None
    except ValueError as exc:
        # e.g. an integer literal longer than Python converts by default.
        raise CatalogError(f"invalid JSON: {exc}", path=display) from None
    products, _nested = products_in(document, path=display, explicit=file.explicit)
    known = offsets is not None and len(offsets) == len(products)
    lines = _lines(text, offsets) if known else None  # type: ignore[arg-type]
    surrogates = may_hold_surrogates(text)
    for index, item in enumerate(products):
        line = lines[index] if lines is not None else None
        if known:
            ends = offsets[index + 1] if index + 1 < len(offsets) else len(text)  # type: ignore[index]
            item = check_depth(item, text, offsets[index], ends)  # type: ignore[index]
        else:
            item = check_depth(item, text)
        if surrogates and not isinstance(item, RecordError):
            item = replace_surrogates(item)
        yield Raw(Source(path=display, line=line), fields.record(item))


def _parse(text: str) -> tuple[Any, Optional[list[int]]]:
    """The document, and the offsets of the product array's elements (when there is one)."""
    index = _skip(text, 0)
    if index == len(text):
        return None, None
    if text[index] == "[":
        document, offsets, end = _array(text, index)
    elif text[index] == "{":
        document, offsets, end = _object(text, index)
    else:
        document, end = _decode(text, index)
        offsets = None
    end = _skip(text, end)
    if end != len(text):
        message = "Extra data after the document"
        if isinstance(document, dict) and text.startswith("{", end):
            message += " (one object per line is JSON Lines: name the file .jsonl)"
        raise json.JSONDecodeError(message, text, end)
    return document, offsets


def _array(text: str, index: int) -> tuple[list[Any], list[int], int]:
    items: list[Any] = []
    offsets: list[int] = []
    index = _skip(text, index + 1)
    if text.startswith("]", index):
        return items, offsets, index + 1
    while True:
        value, end = _decode(text, index)
        items.append(value)
        offsets.append(index)
        index = _skip(text, end)
        if text.startswith(",", index):
            index = _skip(text, index + 1)
        elif text.startswith("]", index):
            return items, offsets, index + 1
        else:
            raise json.JSONDecodeError("Expecting ',' delimiter or ']'", text, index)


def _object(text: str, index: int) -> tuple[dict[str, Any], Optional[list[int]], int]:
    document: dict[str, Any] = {}
    offsets: Optional[list[int]] = None
    index = _skip(text, index + 1)
    if text.startswith("}", index):
        return document, offsets, index + 1
    while True:
        if not text.startswith('"', index):
            raise json.JSONDecodeError(
                "Expecting property name enclosed in double quotes", text, index
            )
        key, index = scanstring(text, index + 1)
        index = _skip(text, index)
        if not text.startswith(":", index):
            raise json.JSONDecodeError("Expecting ':' delimiter", text, index)
        index = _skip(text, index + 1)
        if key == "products" and text.startswith("[", index):
            value, offsets, end = _array(text, index)
        else:
            value, end = _decode(text, index)
            if key == "products":
                offsets = None
        document[key] = value
        index = _skip(text, end)
        if text.startswith(",", index):
            index = _skip(text, index + 1)
        elif text.startswith("}", index):
            return document, offsets, index + 1
        else:
            raise json.JSONDecodeError("Expecting ',' delimiter or '}'", text, index)


def _decode(text: str, index: int) -> tuple[Any, int]:
    """One value at `index`; a number past what Python converts is an error at that value."""
    try:
        return _decoder.raw_decode(text, index)
    except json.JSONDecodeError:
        raise
    except ValueError as exc:
        raise json.JSONDecodeError(str(exc), text, index) from None


def _skip(text: str, index: int) -> int:
    return _WHITESPACE.match(text, index).end()  # type: ignore[union-attr]


def _lines(text: str, offsets: list[int]) -> list[int]:
    # Offsets ascend, so each newline is counted once.
    lines = []
    line = 1
    previous = 0
    for offset in offsets:
        line += text.count("\n", previous, offset)
        previous = offset
        lines.append(line)
    return lines
