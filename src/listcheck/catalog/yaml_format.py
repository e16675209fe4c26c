"""YAML catalogs: a list of products, or `{products: [...]}`.

Parsed with the safe loader only, so a tag such as `!!python/object` is an error and never
code. Before anything is built, `guard()` refuses a document nested too deeply, an alias bomb
("billion laughs") and a recursive alias. The document is composed into a node tree first:
each product's line is where its mapping node starts, which the plain `yaml.load` result no
longer knows.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any, Optional

import yaml

from listcheck.catalog import encoding
from listcheck.catalog.formats import CatalogFile
from listcheck.catalog.mapping import FieldMapping
from listcheck.catalog.records import Raw, catalog_int, products_in
from listcheck.errors import CatalogError
from listcheck.limits import DEFAULT_LIMITS, Limits
from listcheck.model import Source
from listcheck.ruleset.yaml_lines import YAMLLimitError, guard

_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_SafeLoader):  # type: ignore[misc, valid-type]
    """The safe loader, building only what a JSON catalog could hold.

    A timestamp stays the text it was written as (`sku: 2024-01-01` is a sku, as in a CSV); a
    set becomes a list and an ordered map a mapping (checks hash spec values; a set would
    crash them); binary data is refused, as catalogs are text.
    """


def _as_written(loader: Any, node: yaml.Node) -> Any:
    return loader.construct_scalar(node)


def _set_as_list(loader: Any, node: yaml.Node) -> Any:
    data: list[Any] = []
    yield data
    data.extend(loader.construct_mapping(node))


def _pairs(loader: Any, node: yaml.Node) -> list[tuple[Any, Any]]:
    pairs: list[tuple[Any, Any]] = []
    # SafeConstructor's generator yields its list first and fills it when resumed.
    for pairs in loader.construct_yaml_pairs(node):
        pass
    return pairs


def _pairs_as_list(loader: Any, node: yaml.Node) -> Any:
    data: list[Any] = []
    yield data
    data.extend([key, value] for key, value in _pairs(loader, node))


def _omap_as_mapping(loader: Any, node: yaml.Node) -> Any:
    data: dict[Any, Any] = {}
    yield data
    for key, value in _pairs(loader, node):
        data[key] = value


_DECIMAL_INT = re.compile(r"[-+]?(?:0|[1-9][0-9]*)")


def _int(loader: Any, node: yaml.Node) -> Any:
    text = str(loader.construct_scalar(node)).replace("_", "")
    if _DECIMAL_INT.fullmatch(text):
        try:
            return catalog_int(text)
        except ValueError as exc:
            raise yaml.constructor.ConstructorError(None, None, str(exc), node.start_mark) from None
    # Octal 0123, 0x1F, 0b101, 1:30 (sexagesimal): PyYAML's own reading.
    return yaml.constructor.SafeConstructor.construct_yaml_int(loader, node)


def _no_binary(loader: Any, node: yaml.Node) -> Any:
    raise yaml.constructor.ConstructorError(
        None, None, "!!binary data is not allowed: catalogs are text", node.start_mark
    )


_Loader.add_constructor("tag:yaml.org,2002:int", _int)
_Loader.add_constructor("tag:yaml.org,2002:timestamp", _as_written)
_Loader.add_constructor("tag:yaml.org,2002:set", _set_as_list)
_Loader.add_constructor("tag:yaml.org,2002:omap", _omap_as_mapping)
_Loader.add_constructor("tag:yaml.org,2002:pairs", _pairs_as_list)
_Loader.add_constructor("tag:yaml.org,2002:binary", _no_binary)

_STANDARD_TAG = "tag:yaml.org,2002:"
_PYTHON_TAG = _STANDARD_TAG + "python/"
_NO_CONSTRUCTOR = "could not determine a constructor for the tag"


def read(file: CatalogFile, fields: FieldMapping, limits: Limits = DEFAULT_LIMITS) -> Iterator[Raw]:
    path, display = file.path, file.display
    text = encoding.read_text(path, display)
    node, document = _load(text, display)
    products, nested = products_in(document, path=display, explicit=file.explicit)
    lines = _item_lines(node, nested, len(products))
    for index, item in enumerate(products):
        line = lines[index] if lines is not None else None
        yield Raw(Source(path=display, line=line), fields.record(item))


def _load(text: str, display: str) -> tuple[Optional[yaml.Node], Any]:
    loader = _Loader(text)
    try:
        guard(text)
        node = loader.get_single_node()
        document = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as exc:
        raise _yaml_error(exc, text, display) from None
    except RecursionError:
        raise CatalogError("YAML nested too deeply", path=display) from None
    except (ValueError, TypeError, OverflowError) as exc:
        # A value PyYAML's constructors cannot convert (`!!int ²`, `!!float x`).
        raise CatalogError(f"invalid YAML: {exc}", path=display) from None
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
    if isinstance(exc, YAMLLimitError):
        return CatalogError(f"YAML {exc.problem}", path=display, line=line)
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
