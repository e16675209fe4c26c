"""From raw records to validated Products, or to the `input` findings that replace bad ones.

Every format reader yields `Raw(source, data)`; `build()` validates `data` into a `Product`
with its source set, or explains in one finding (English and Chinese) what is wrong with it
and where, so the run can go on without that record.
"""

from __future__ import annotations

import re
from typing import Any, NamedTuple, Optional, Union

from pydantic import ValidationError

from listcheck.errors import CatalogError, RecordError
from listcheck.findings import (
    INPUT_DUPLICATE_SKU,
    INPUT_EMPTY_FILE,
    INPUT_INVALID_RECORD,
    INPUT_UNREADABLE_ROW,
    input_finding,
)
from listcheck.limits import MAX_RECORD_DEPTH
from listcheck.model import Finding, Product, Severity, Source

# Rule id of the finding for a record over limits.max_record_bytes (docs/limits.md).
INPUT_RECORD_TOO_LARGE = "input/record-too-large"

# Top-level keys that mark a YAML/JSON mapping as a rule pack or a config, not a catalog.
_NOT_A_CATALOG_KEYS = ("pack", "rules", "extends")
# One finding lists at most this many bad fields; the rest are counted.
_MAX_LISTED_ERRORS = 5


# An integer with more digits than this is beyond every float (sys.float_info.max is ~1.8e308).
_FLOAT_DIGITS = 308
_FLOAT_LIMIT = 10**_FLOAT_DIGITS
# Python converts no longer digit string to int (sys.get_int_max_str_digits()).
MAX_INT_DIGITS = 4300


def catalog_int(text: str) -> Union[int, float]:
    """An integer literal of a JSON or YAML catalog, as `int` unless no float could hold it.

    A 400-digit "weight" is infinity to every check (as an int it crashed the ones that
    convert it to float). Past MAX_INT_DIGITS it is not a number a catalog holds: ValueError,
    which makes the record (JSON Lines) or the document (JSON, YAML) unreadable, with its line.
    """
    digits = len(text) - (text[:1] in "+-")
    if digits <= _FLOAT_DIGITS:
        return int(text)
    if digits > MAX_INT_DIGITS:
        raise ValueError(f"a number of {digits:,} digits (more than {MAX_INT_DIGITS:,})")
    return float(text)


def tame_record(value: Any) -> Any:
    """An in-memory record (`api.check_records`) made like one read from a file: an integer
    beyond every float becomes an infinity of its sign (as `catalog_int` reads a file's), so no
    check converts or prints a 5,000-digit number, and lone surrogates become U+FFFD (as
    `replace_surrogates` does for a file's). Walks lists and dicts."""
    if isinstance(value, str):
        return replace_surrogates(value)
    if isinstance(value, int) and not isinstance(value, bool):
        if -_FLOAT_LIMIT < value < _FLOAT_LIMIT:
            return value
        return float("inf") if value > 0 else float("-inf")
    if isinstance(value, dict):
        return {tame_record(key): tame_record(item) for key, item in value.items()}
    if isinstance(value, list):
        return [tame_record(item) for item in value]
    return value


# A JSON "\ud800" escape decodes to a lone surrogate (YAML refuses such escapes): a str that
# no UTF-8 writer can write, so every report of the run would fail on it. Each becomes U+FFFD,
# one character for one, so offsets into the text still hold.
_SURROGATE = re.compile("[\ud800-\udfff]")
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


def may_hold_surrogates(text: str) -> bool:
    """Does JSON `text` have an escape that may decode to a lone surrogate? (Rarely: the
    records parsed from it need `replace_surrogates` only when it does.)"""
    return _SURROGATE_ESCAPE.search(text) is not None


def replace_surrogates(value: Any) -> Any:
    """`value` with U+FFFD for each lone surrogate in its strings and keys (after check_depth:
    the walk is as deep as the record)."""
    if isinstance(value, str):
        return value if value.isascii() else _SURROGATE.sub("\ufffd", value)
    if isinstance(value, dict):
        return {replace_surrogates(key): replace_surrogates(item) for key, item in value.items()}
    if isinstance(value, list):
        return [replace_surrogates(item) for item in value]
    return value


def check_depth(value: Any, text: str, start: int = 0, end: Optional[int] = None) -> Any:
    """`value`, or a RecordError when it is nested more than MAX_RECORD_DEPTH levels deep.

    `text[start:end]` is the JSON it was parsed from: when it holds fewer brackets than the
    limit, the value cannot be that deep and is not walked (the usual case costs two counts).
    """
    if end is None:
        end = len(text)
    if text.count("[", start, end) + text.count("{", start, end) <= MAX_RECORD_DEPTH:
        return value
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if depth > MAX_RECORD_DEPTH:
            error = RecordError(f"nested more than {MAX_RECORD_DEPTH} levels deep")
            error.zh = f"嵌套超过 {MAX_RECORD_DEPTH} 层"  # type: ignore[attr-defined]
            error.record = value if isinstance(value, dict) else {}  # type: ignore[attr-defined]
            return error
        if isinstance(item, dict):
            stack.extend((child, depth + 1) for child in item.values() if isinstance(child, (dict, list)))
        elif isinstance(item, list):
            stack.extend((child, depth + 1) for child in item if isinstance(child, (dict, list)))
    return value


class Raw(NamedTuple):
    """One record as read: where it came from, and the data (or why it could not be built)."""

    source: Source
    data: Any
    # The length of the text the record was parsed from, when one text held it (a JSON Lines
    # line): a bound on every text inside it.
    chars: Optional[int] = None


class SkipFile(Exception):
    """Raised by a reader, during a folder walk, for a file that is not a catalog at all."""


def products_in(document: Any, *, path: str, explicit: bool) -> tuple[list[Any], bool]:
    """The product list of a parsed YAML/JSON document, and whether it was under `products`.

    A document is a list of products or `{products: [...]}`. A rule pack or config met during
    a folder walk is skipped (SkipFile); anything else cannot be a catalog (CatalogError).
    """
    if document is None:
        return [], False
    if isinstance(document, list):
        return document, False
    if isinstance(document, dict):
        if "products" in document:
            products = document["products"]
            if products is None:
                return [], True
            if isinstance(products, list):
                return products, True
            raise CatalogError(
                f"'products' should be a list of products, not {_describe(products)}",
                path=path,
                field="products",
            )
        looks_like_rules = any(key in document for key in _NOT_A_CATALOG_KEYS)
        if looks_like_rules and not explicit:
            raise SkipFile(path)
        if looks_like_rules:
            hint = "it looks like a rule pack or a config, not a catalog"
        elif "sku" in document:
            hint = "it looks like a single product; put it in a list"
        else:
            hint = "a catalog is a list of products or a mapping with 'products: [...]'"
        raise CatalogError(f"no 'products' in this mapping: {hint}", path=path)
    raise CatalogError(
        f"expected a list of products or a mapping with 'products', found {_describe(document)}",
        path=path,
    )


def build(data: Any, source: Source, chars: Optional[int] = None) -> Union[Product, Finding]:
    """A validated Product with its source set, or the input finding that replaces it.
    `chars`: the length of the text it was parsed from, if known (see `Raw.chars`)."""
    if type(data) is not dict:
        if isinstance(data, RecordError):
            return _record_error(data, source)
        return _not_a_mapping(data, source)
    try:
        product = Product.model_validate(data)
    except ValidationError as exc:
        return _invalid(exc, data, source)
    # Into pydantic's store of private values directly: assigning the attributes goes through
    # BaseModel.__setattr__, a microsecond a product.
    private = product.__pydantic_private__
    private["_source"] = source  # type: ignore[index]
    private["_read_chars"] = chars  # type: ignore[index]
    return product


def record_sku(data: Any) -> Optional[str]:
    """The record's sku as Product would read it, if it has a usable one."""
    if not isinstance(data, dict):
        return None
    value = data.get("sku")
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, str) and value:
        return value
    return None


def unreadable_row(source: Source, en: str, zh: str, *, sku: Optional[str] = None) -> Finding:
    return input_finding(INPUT_UNREADABLE_ROW, en=en, zh=zh, source=source, sku=sku)


def record_too_large(
    source: Source, size: int, limit: int, what: str, *, sku: Optional[str] = None
) -> Finding:
    """A record over limits.max_record_bytes: skipped unread, the rest of the file goes on."""
    what_zh = {"line": "该行", "row": "该行记录"}.get(what, "该记录")
    return input_finding(
        INPUT_RECORD_TOO_LARGE,
        en=f"{what} is {size:,} bytes, over the limit of {limit:,} (limits.max_record_bytes); "
        f"the {what} is skipped without being read",
        zh=f"{what_zh}有 {size:,} 字节，超过上限 {limit:,}（limits.max_record_bytes）；已跳过，未读取",
        source=source,
        sku=sku,
    )


def empty_file(path: str) -> Finding:
    return input_finding(
        INPUT_EMPTY_FILE,
        en="no products in this file",
        zh="文件中没有商品",
        source=Source(path=path),
        severity=Severity.warning,
    )


def duplicate_sku(sku: str, supplier: Optional[str], source: Source, first: str) -> Finding:
    return input_finding(
        INPUT_DUPLICATE_SKU,
        en=f"duplicate sku {sku!r}: first seen at {first}; this record is not checked",
        zh=f"SKU“{sku}”重复：首次出现在 {first}；本条记录未检查",
        source=source,
        sku=sku,
        supplier=supplier,
        field="sku",
    )


def place(source: Source) -> str:
    """Where a record is, as a user reads it: `file:line`, or the sheet and row."""
    if source.sheet is not None:
        return f"{source.path} (sheet {source.sheet!r}, row {source.line})"
    if source.line is not None:
        return f"{source.path}:{source.line}"
    return source.path


def _record_error(error: RecordError, source: Source) -> Finding:
    zh = getattr(error, "zh", None) or error.message
    return input_finding(
        INPUT_INVALID_RECORD,
        en=f"invalid record: {error.message}",
        zh=f"记录无效：{zh}",
        source=source,
        sku=record_sku(getattr(error, "record", None)),
        field=error.field,
    )


def _not_a_mapping(data: Any, source: Source) -> Finding:
    return input_finding(
        INPUT_INVALID_RECORD,
        en=f"invalid record: expected a mapping of fields (sku, title, ...), got {_describe(data)}",
        zh=f"记录无效：应为字段映射（sku、title 等），实际为{_describe_zh(data)}",
        source=source,
    )


def _invalid(exc: ValidationError, data: dict, source: Source) -> Finding:
    errors = exc.errors(include_url=False)
    en_parts = []
    zh_parts = []
    for error in errors[:_MAX_LISTED_ERRORS]:
        field = _dotted(error["loc"])
        en, zh = _explain(error)
        en_parts.append(f"{field} {en}")
        zh_parts.append(f"{field} {zh}")
    more = len(errors) - _MAX_LISTED_ERRORS
    if more > 0:
        en_parts.append(f"and {more} more")
        zh_parts.append(f"另有 {more} 处")
    supplier = data.get("supplier")
    return input_finding(
        INPUT_INVALID_RECORD,
        en="invalid record: " + "; ".join(en_parts),
        zh="记录无效：" + "；".join(zh_parts),
        source=source,
        sku=record_sku(data),
        supplier=supplier if isinstance(supplier, str) else None,
        field=_dotted(errors[0]["loc"]) if errors else None,
    )


def _dotted(loc: tuple[Any, ...]) -> str:
    return ".".join(str(part) for part in loc)


# pydantic error type -> (English, Chinese); {got} is the offending value, other names come
# from the error's context (ge, le, ...).
_EXPLANATIONS: dict[str, tuple[str, str]] = {
    "missing": ("is required but missing", "是必填字段，但缺失"),
    "string_type": ("should be text, got {got}", "应为文本，实际为{got_zh}"),
    "string_too_short": ("should not be empty", "不能为空"),
    "int_type": ("should be a whole number, got {got}", "应为整数，实际为{got_zh}"),
    "int_parsing": ("should be a whole number, got {got}", "应为整数，实际为{got_zh}"),
    "int_from_float": ("should be a whole number, got {got}", "应为整数，实际为{got_zh}"),
    "float_type": ("should be a number, got {got}", "应为数字，实际为{got_zh}"),
    "float_parsing": ("should be a number, got {got}", "应为数字，实际为{got_zh}"),
    "finite_number": ("should be a finite number, got {got}", "应为有限数字，实际为{got_zh}"),
    "bool_type": ("should be true or false, got {got}", "应为 true 或 false，实际为{got_zh}"),
    "bool_parsing": ("should be true or false, got {got}", "应为 true 或 false，实际为{got_zh}"),
    "greater_than_equal": ("should be at least {ge}, got {got}", "不能小于 {ge}，实际为{got_zh}"),
    "greater_than": ("should be more than {gt}, got {got}", "必须大于 {gt}，实际为{got_zh}"),
    "less_than_equal": ("should be at most {le}, got {got}", "不能大于 {le}，实际为{got_zh}"),
    "less_than": ("should be less than {lt}, got {got}", "必须小于 {lt}，实际为{got_zh}"),
    "list_type": ("should be a list, got {got}", "应为列表，实际为{got_zh}"),
    "dict_type": ("should be a mapping of fields, got {got}", "应为字段映射，实际为{got_zh}"),
    "model_type": ("should be a mapping of fields, got {got}", "应为字段映射，实际为{got_zh}"),
    "extra_forbidden": ("is not a known key here", "不是此处支持的键"),
    "invalid_key": ("is not a text key", "键必须是文本"),
}


def _explain(error: dict[str, Any]) -> tuple[str, str]:
    template = _EXPLANATIONS.get(error["type"])
    if template is None:
        return error["msg"], f"取值无效（{error['msg']}）"
    value = error.get("input")
    context = dict(error.get("ctx") or {})
    context.update(got=_describe(value), got_zh=_describe_zh(value))
    en, zh = template
    try:
        return en.format(**context), zh.format(**context)
    except (KeyError, IndexError):
        return error["msg"], f"取值无效（{error['msg']}）"


def _describe(value: Any) -> str:
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return f"the number {value!r}"
    if isinstance(value, str):
        return f"the text {_clip(value)!r}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return f"a {type(value).__name__}"


def _describe_zh(value: Any) -> str:
    if value is None:
        return "空值（null）"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return f"数字 {value!r}"
    if isinstance(value, str):
        return f"文本“{_clip(value)}”"
    if isinstance(value, list):
        return "列表"
    if isinstance(value, dict):
        return "映射"
    return type(value).__name__


def _clip(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
