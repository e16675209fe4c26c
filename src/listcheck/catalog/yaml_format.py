"""YAML catalogs: a list of products, or `{products: [...]}`.

Parsed with the safe loader only, so a tag such as `!!python/object` is an error and never
code. The document is composed into a node tree first: each product's line is where its
mapping node starts, which the plain `yaml.load` result no longer knows.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any, Optional

import yaml

from listcheck.catalog import encoding
from listcheck.catalog.mapping import FieldMapping
from listcheck.catalog.records import Raw, products_in
from listcheck.errors import CatalogError
from listcheck.model import Source

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_STANDARD_TAG = "tag:yaml.org,2002:"
_PYTHON_TAG = _STANDARD_TAG + "python/"
_NO_CONSTRUCTOR = "could not determine a constructor for the tag"


def read(path: Path, display: str, fields: FieldMapping, explicit: bool) -> Iterator[Raw]:
    text = encoding.read_text(path, display)
    node, document = _load(text, display)
    products, nested = products_in(document, path=display, explicit=explicit)
    lines = _item_lines(node, nested, len(products))
    for index, item in enumerate(products):
        line = lines[index] if lines is not None else None
        yield Raw(Source(path=display, line=line), fields.record(item))


def _load(text: str, display: str) -> tuple[Optional[yaml.Node], Any]:
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        document = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as exc:
        raise _yaml_error(exc, text, display) from None
    except RecursionError:
        raise CatalogError("YAML nested too deeply", path=display) from None
    finally:
        loader.dispose()
    return node, document


def _item_lines(node: Optional[yaml.Node], nested: bool, count: int) -> Optional[list[int]]:
    sequence = node
    if nested and isinstance(node, yaml.MappingNode):
        sequence = None
        # The last `products` key wins, as it does when the mapping is constructed.
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode) and key.value == "products":
                sequence = value
    if not isinstance(sequence, yaml.SequenceNode) or len(sequence.value) != count:
        return None
    return [item.start_mark.line + 1 for item in sequence.value]


def _yaml_error(exc: yaml.YAMLError, text: str, display: str) -> CatalogError:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    line = mark.line + 1 if mark is not None else None
    if isinstance(exc, yaml.reader.ReaderError):
        # The reader reports a character offset, not a mark.
        line = text.count("\n", 0, exc.position) + 1
        return CatalogError(f"invalid YAML: {exc.reason}", path=display, line=line)
    problem = getattr(exc, "problem", None) or str(exc)
    if problem.startswith(_NO_CONSTRUCTOR):
        tag = problem[len(_NO_CONSTRUCTOR) :].strip().strip("'")
        shown = "!!" + tag[len(_STANDARD_TAG) :] if tag.startswith(_STANDARD_TAG) else tag
        if tag.startswith(_PYTHON_TAG):
            message = (
                f"YAML tag {shown} is not allowed: catalogs are plain data and listcheck "
                "never builds Python objects from them"
            )
        else:
            message = (
                f"unknown YAML tag {shown}: catalogs are plain data "
                "(text, numbers, lists, mappings)"
            )
        return CatalogError(message, path=display, line=line)
    context = getattr(exc, "context", None)
    detail = f"{problem} ({context})" if context else problem
    return CatalogError(f"invalid YAML: {detail}", path=display, line=line)
