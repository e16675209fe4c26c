"""Reading a product's fields by dotted path (`title`, `spec.capacity`, `return_policy.text`)."""

from __future__ import annotations

from typing import Any, Iterator

from pydantic import BaseModel

MISSING = object()


def get_path(product: Any, path: str) -> Any:
    """The value at a dotted path, or MISSING. Works on models, dicts and lists."""
    value = product
    for part in path.split("."):
        if isinstance(value, BaseModel):
            # Declared fields live in __dict__, unknown ones in __pydantic_extra__: reading them
            # directly skips pydantic's attribute machinery on this hot path.
            found = value.__dict__.get(part, MISSING)
            if found is MISSING:
                found = (value.__pydantic_extra__ or {}).get(part, MISSING)
            value = found
        elif isinstance(value, dict):
            value = value.get(part, MISSING)
        elif isinstance(value, list) and part.isdigit():
            index = int(part)
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


def known_field_roots() -> set[str]:
    from listcheck.model import Product

    return set(Product.model_fields)


def iter_all_texts(product: Any) -> Iterator[tuple[str, str]]:
    """(dotted label, text) for every text anywhere in a product: fields, extra fields, spec
    values, list items, at any depth (records are at most limits.MAX_RECORD_DEPTH deep)."""
    stack: list[tuple[str, Any]] = [("", product)]
    while stack:
        prefix, value = stack.pop()
        if isinstance(value, BaseModel):
            items = list(value.__dict__.items()) + list((value.__pydantic_extra__ or {}).items())
        elif isinstance(value, dict):
            items = list(value.items())
        elif isinstance(value, list):
            items = [(str(index), item) for index, item in enumerate(value)]
        else:
            continue
        for key, item in reversed(items):
            label = f"{prefix}.{key}" if prefix else str(key)
            if isinstance(item, str):
                yield label, item
            elif isinstance(item, (BaseModel, dict, list)):
                stack.append((label, item))
