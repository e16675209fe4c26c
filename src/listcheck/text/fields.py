"""Reading a product's fields by dotted path (`title`, `spec.capacity`, `return_policy.text`)."""

from __future__ import annotations

from typing import Any, Iterator

from pydantic import BaseModel

MISSING = object()


# Dotted paths split once: rules read the same few dozen paths of every product.
_PARTS: dict[str, list[str]] = {}


def is_index(part: str) -> bool:
    """A path segment that indexes a list: ASCII digits only ("²".isdigit() is true too, and
    int() refuses it)."""
    return part.isascii() and part.isdigit()


def get_path(product: Any, path: str) -> Any:
    """The value at a dotted path, or MISSING. Works on models, dicts and lists."""
    parts = _PARTS.get(path)
    if parts is None:
        if len(_PARTS) > 4096:
            _PARTS.clear()
        parts = _PARTS[path] = path.split(".")
    value = product
    for part in parts:
        if isinstance(value, dict):
            value = value.get(part, MISSING)
        elif isinstance(value, BaseModel):
            # Declared fields live in __dict__, unknown ones in __pydantic_extra__: reading them
            # directly skips pydantic's attribute machinery on this hot path.
            found = value.__dict__.get(part, MISSING)
            if found is MISSING:
                found = (value.__pydantic_extra__ or {}).get(part, MISSING)
            value = found
        elif isinstance(value, list) and is_index(part):
            # An index of more digits than any list has items is past the end (int() refuses
            # 4,300 digits).
            index = int(part) if len(part) <= 18 else len(value)
            value = value[index] if index < len(value) else MISSING
        else:
            return MISSING
        if value is MISSING or value is None:
            return MISSING
    return value


def is_empty(value: Any) -> bool:
    if value is MISSING or value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, (list, dict, tuple)):
        return len(value) == 0
    return False


def iter_texts(product: Any, path: str) -> Iterator[tuple[str, str]]:
    """(field label, text) for each text under `path`; a list gives `path.0`, `path.1`, ..."""
    value = get_path(product, path)
    if value is MISSING:
        return
    if isinstance(value, str):
        if value:
            yield path, value
    elif isinstance(value, list):
        for index, item in enumerate(value):
            if isinstance(item, str) and item:
                yield f"{path}.{index}", item
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        yield path, str(value)


def texts_longer_than(product: Any, limit: int) -> list[tuple[str, int]]:
    """(dotted label, length) of every text anywhere in a product — fields, extra fields, spec
    values, list items, at any depth — longer than `limit` characters, in field order. Runs on
    every product, so it walks without building labels until it finds one."""
    found: list[tuple[str, int]] = []
    stack: list[tuple[tuple, Any]] = [((), product)]
    while stack:
        path, value = stack.pop()
        if isinstance(value, int):  # a long text, met in field order
            found.append((".".join(map(str, path)), value))
            continue
        if isinstance(value, BaseModel):
            items: Any = list(value.__dict__.items())
            if value.__pydantic_extra__:
                items += value.__pydantic_extra__.items()
        elif isinstance(value, dict):
            items = list(value.items())
        else:
            items = list(enumerate(value))
        # Pushed last-first, so they come off the stack in field order; a long text goes on
        # as its length.
        for key, item in reversed(items):
            if isinstance(item, str):
                if len(item) > limit:
                    stack.append((path + (key,), len(item)))
            elif isinstance(item, (dict, list, BaseModel)) and item:
                stack.append((path + (key,), item))
    return found
