"""The registry of check kinds: built-ins plus the entry point group `listcheck.checks`.

`BUILTIN_KINDS` is the one list of the built-in kinds: a new one is a module under checks/ and
a line here. The entry point group is for third-party kinds only (a plug-in names its own in
its package metadata); a built-in name always wins over an entry point of the same name.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import import_module

from listcheck.checks.base import CheckKind

ENTRY_POINT_GROUP = "listcheck.checks"

BUILTIN_KINDS = {
    "terms": "listcheck.checks.terms:TermsKind",
    "pattern": "listcheck.checks.pattern:PatternKind",
    "required": "listcheck.checks.required:RequiredKind",
    "compare": "listcheck.checks.compare:CompareKind",
    "quantity": "listcheck.checks.quantity:QuantityKind",
    "attribute": "listcheck.checks.attribute:AttributeKind",
    "composition": "listcheck.checks.composition:CompositionKind",
    "model": "listcheck.checks.model:ModelKind",
    "superlative": "listcheck.checks.superlative:SuperlativeKind",
}


def _load(target: str) -> type[CheckKind]:
    module_name, _, attr = target.partition(":")
    return getattr(import_module(module_name), attr)


@lru_cache(maxsize=None)
def kind_targets() -> dict[str, str]:
    """Kind name -> "module:Class", entry points first overridden by nothing: built-ins win."""
    from importlib.metadata import entry_points

    targets = {ep.name: ep.value for ep in entry_points(group=ENTRY_POINT_GROUP)}
    targets.update(BUILTIN_KINDS)
    return targets


@lru_cache(maxsize=None)
def get_kind(name: str) -> type[CheckKind] | None:
    # A built-in kind needs no look at the installed packages' entry points (a scan of every
    # package's metadata: a noticeable part of a one-product run).
    target = BUILTIN_KINDS.get(name) or kind_targets().get(name)
    if target is None:
        return None
    kind = _load(target)
    if not (isinstance(kind, type) and issubclass(kind, CheckKind)):
        raise TypeError(f"entry point {name!r} ({target}) is not a listcheck CheckKind")
    return kind


def kind_names() -> list[str]:
    return sorted(kind_targets())
