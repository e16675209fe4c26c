"""Field mapping: the user's renames of foreign headers, and dotted-path expansion.

A platform export names its columns its own way (商品编码, 净含量); `mapping` renames a header,
or a top-level key of a YAML/JSON record, onto our dotted path (`sku`, `spec.net_content`).
Dotted paths then expand into nested records: `spec.capacity` sets `spec: {capacity: ...}`, and
numeric segments make lists (`bullets.0`, `bullets.1`). Unmapped names are kept as they are.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Optional, Union

from listcheck.errors import CatalogError, RecordError
from listcheck.limits import MAX_RECORD_DEPTH
from listcheck.text.fields import is_index

Path_ = tuple[str, ...]

_MISSING = object()
# Bound on the cache of resolved top-level keys: a feed whose every record has new keys
# must not grow it without end.
_MAX_RESOLVED_KEYS = 10_000


class KeyConflict(RecordError):
    """Two keys or columns of one record put a value in the same place."""

    def __init__(self, en: str, zh: str, *, field: str) -> None:
        super().__init__(en, field=field)
        self.zh = zh
        # What was built of the record before the conflict, so the finding can name its sku.
        self.record: dict[str, Any] = {}


class _Branch(dict):
    """A container that dotted-path expansion created (it becomes a list if keys are indexes)."""


class _Copy(dict):
    """A copy of the record's own mapping that a dotted key is merged into.

    The original may be shared (a YAML alias used by several products), so it is not changed.
    """


def split_path(name: str) -> Optional[Path_]:
    """The segments of a dotted path, or None when `name` is a plain name.

    A name with an empty segment ("No.", ".x", "a..b") is a plain name: exports have headers
    such as "No." that are not meant as paths.
    """
    if "." not in name:
        return None
    segments = tuple(name.split("."))
    if "" in segments:
        return None
    return segments


class _Shape:
    """One container of the record a header row describes, and the cells that fill it.

    Compiled once from the header, so a row is built without parsing paths again, and a
    container is a list or a mapping by the header (all of `bullets.0`, `bullets.1` are
    indexes), not by which cells of a row happen to be filled.
    """

    __slots__ = ("path", "is_list", "leaves", "children", "items")

    def __init__(self, path: Path_) -> None:
        self.path = path
        self.is_list = False
        self.leaves: list[tuple[str, int]] = []
        self.children: list[tuple[str, _Shape]] = []
        # For a list: (index key, cell column or None, sub-container or None), in index order.
        self.items: list[tuple[str, Optional[int], Optional[_Shape]]] = []

    def child(self, key: str) -> _Shape:
        for name, shape in self.children:
            if name == key:
                return shape
        shape = _Shape(self.path + (key,))
        self.children.append((key, shape))
        return shape

    def seal(self) -> None:
        for _key, shape in self.children:
            shape.seal()
        keys = [key for key, _ in self.leaves] + [key for key, _ in self.children]
        if self.path and keys and all(is_index(key) for key in keys):
            self.is_list = True
            leaves = dict(self.leaves)
            children = dict(self.children)
            self.items = [
                (key, leaves.get(key), children.get(key))
                for key in sorted(set(keys), key=_index_order)
            ]

    def fill(self, row: Sequence[Any]) -> Any:
        """This container's part of the row, or None when all its cells are empty."""
        if self.is_list:
            # Indexes order the items; gaps (an empty bullets.1 cell) close up.
            items = []
            for key, column, shape in self.items:
                value = row[column] if column is not None else None
                nested = shape.fill(row) if shape is not None else None
                if value is not None and value != "":
                    if nested is not None:
                        raise self._clash(key)
                    items.append(value)
                elif nested is not None:
                    items.append(nested)
            return items or None
        out: dict[str, Any] = {}
        for key, column in self.leaves:
            value = row[column]
            if value is not None and value != "":
                out[key] = value
        for key, shape in self.children:
            nested = shape.fill(row)
            if nested is not None:
                if key in out:
                    raise self._clash(key)
                out[key] = nested
        return out or None

    def _clash(self, key: str) -> KeyConflict:
        name = ".".join(self.path + (key,))
        return KeyConflict(
            f"{name} has a value and also sub-fields ({name}.…); keep one",
            f"{name} 既有值又有子字段（{name}.…）；只保留一种",
            field=name,
        )


class ColumnPlan:
    """How the cells of one header row become a nested record; built once per file or sheet."""

    def __init__(self, names: Sequence[Optional[str]], headers: Sequence[str]) -> None:
        self.width = len(names)
        self.names = list(names)
        self.headers = list(headers)
        self.sku_column: Optional[int] = None
        self._root = _Shape(())
        for index, name in enumerate(names):
            if name is None:
                continue
            if name == "sku":
                self.sku_column = index
            segments = split_path(name) or (name,)
            shape = self._root
            for segment in segments[:-1]:
                shape = shape.child(segment)
            shape.leaves.append((segments[-1], index))
        self._root.seal()

    @property
    def has_sku(self) -> bool:
        return self.sku_column is not None

    def build(self, row: Sequence[Any]) -> Union[dict[str, Any], KeyConflict]:
        """One record from one row (already as wide as the header); empty cells are absent."""
        try:
            return self._root.fill(row) or {}
        except KeyConflict as conflict:
            conflict.record = {
                name: row[index]
                for index, name in enumerate(self.names)
                if name == "sku" and row[index] not in (None, "")
            }
            return conflict


class FieldMapping:
    """The user's `mapping` ({their name: our dotted path}), compiled once for a whole run."""

    def __init__(self, renames: Optional[Mapping[str, str]] = None) -> None:
        self._renames = dict(renames or {})
        # Top-level keys repeat on every record: resolve each distinct key once.
        self._resolved: dict[str, tuple[str, Optional[Path_]]] = {}

    def columns(
        self,
        headers: Sequence[Any],
        *,
        path: str,
        line: Optional[int] = None,
        sheet: Optional[str] = None,
    ) -> ColumnPlan:
        """The plan for a header row; CatalogError when two columns land on the same field."""
        texts = ["" if header is None else str(header).strip() for header in headers]
        names: list[Optional[str]] = []
        first_column: dict[str, int] = {}
        for index, text in enumerate(texts):
            if not text:
                # A column without a header carries nothing we could name; exports often end
                # with a few of them.
                names.append(None)
                continue
            name = self._renames.get(text, text)
            segments = split_path(name)
            if segments is not None and len(segments) > MAX_RECORD_DEPTH:
                where = f" in sheet {sheet!r}" if sheet else ""
                raise CatalogError(
                    f"column {index + 1}{where} is a dotted path of {len(segments):,} parts, more "
                    f"than {MAX_RECORD_DEPTH}; no field is nested that deeply",
                    path=path,
                    line=line,
                )
            if name in first_column:
                other = texts[first_column[name]]
                where = f" in sheet {sheet!r}" if sheet else ""
                raise CatalogError(
                    f"columns {first_column[name] + 1} ({other!r}) and {index + 1} ({text!r})"
                    f"{where} both give the field {name!r}; keep one or map one elsewhere",
                    path=path,
                    line=line,
                    field=name,
                )
            first_column[name] = index
            names.append(name)
        return ColumnPlan(names, texts)

    def record(self, record: Any) -> Any:
        """A structured record with its top-level keys renamed and dotted keys expanded.

        Returns the record (a new dict when anything changed), or a KeyConflict to report.
        Anything that is not a mapping is returned as it is, for the validator to reject.
        """
        if type(record) is not dict:
            return record
        if not self._renames and not any(type(key) is str and "." in key for key in record):
            return record
        out: dict[Any, Any] = {}
        origin: dict[Any, Any] = {}
        dotted: list[tuple[Path_, Any, str, Any]] = []
        for key, value in record.items():
            if type(key) is not str:
                out[key] = value
                continue
            resolved = self._resolved.get(key)
            if resolved is None:
                name = self._renames.get(key, key)
                resolved = (name, split_path(name))
                if len(self._resolved) < _MAX_RESOLVED_KEYS:
                    self._resolved[key] = resolved
            name, segments = resolved
            if segments is not None:
                if len(segments) > MAX_RECORD_DEPTH:
                    conflict = KeyConflict(
                        f"the key is a dotted path of {len(segments):,} parts, more than "
                        f"{MAX_RECORD_DEPTH}; no field is nested that deeply",
                        f"该键是含 {len(segments):,} 段的点路径，超过 {MAX_RECORD_DEPTH} 段",
                        field=name[:60] + ("…" if len(name) > 60 else ""),
                    )
                    conflict.record = out
                    return conflict
                dotted.append((segments, value, name, key))
            elif name in out:
                conflict = _twice(name, origin[name], key)
                conflict.record = out
                return conflict
            else:
                out[name] = value
                origin[name] = key
        if dotted:
            created: list[tuple[dict, str]] = []
            try:
                for segments, value, name, _key in dotted:
                    _put(out, segments, value, name, created)
            except KeyConflict as conflict:
                conflict.record = out
                return conflict
            _finish(created)
        return out


def _twice(name: str, first: Any, second: Any) -> KeyConflict:
    return KeyConflict(
        f"{first!r} and {second!r} both give {name}",
        f"“{first}”和“{second}”都对应字段 {name}",
        field=name,
    )


def _put(
    record: dict,
    segments: Path_,
    value: Any,
    name: str,
    created: list[tuple[dict, str]],
) -> None:
    node = record
    for depth, segment in enumerate(segments[:-1]):
        child = node.get(segment, _MISSING)
        if child is _MISSING:
            child = node[segment] = _Branch()
            created.append((node, segment))
        elif type(child) is dict:
            child = node[segment] = _Copy(child)
            created.append((node, segment))
        elif not isinstance(child, dict):
            prefix = ".".join(segments[: depth + 1])
            raise KeyConflict(
                f"{name} cannot be set: {prefix} already has a value that is not a mapping",
                f"无法设置 {name}：{prefix} 已有一个不是映射的值",
                field=name,
            )
        node = child
    last = segments[-1]
    if last in node:
        raise KeyConflict(
            f"{name} is given twice", f"字段 {name} 出现了两次", field=name
        )
    node[last] = value


def _index_order(index: str) -> tuple[int, str]:
    """Sorts ASCII digit strings by the number they write, as `int` would, without converting
    them: a header or key may carry an index of 5,000 digits, which int() refuses."""
    digits = index.lstrip("0")
    return len(digits), digits


def _finish(created: list[tuple[dict, str]]) -> None:
    # Children were created after their parents: finishing in reverse turns the innermost
    # containers into lists first, so a parent copies finished children.
    for parent, key in reversed(created):
        branch = parent[key]
        if type(branch) is _Copy:
            parent[key] = dict(branch)
        elif all(is_index(segment) for segment in branch):
            # Indexes order the items; gaps (an empty bullets.1 cell) close up.
            parent[key] = [branch[segment] for segment in sorted(branch, key=_index_order)]
        else:
            parent[key] = dict(branch)
