"""The data tables under rules/vocab/ (units, colours, categories, markets ...), read once.

They are read with libyaml's C loader: the pure-Python one took most of a one-product run.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import yaml

try:
    _Loader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - PyYAML without libyaml
    _Loader = yaml.SafeLoader


@lru_cache(maxsize=None)
def load_vocab(name: str) -> Any:
    """The parsed `rules/vocab/<name>.yaml`, or None when there is no such file."""
    from listcheck.ruleset.loader import builtin_root

    path = builtin_root() / "vocab" / f"{name}.yaml"
    if not path.is_file():
        return None
    with open(path, encoding="utf-8") as handle:
        return yaml.load(handle, Loader=_Loader)
