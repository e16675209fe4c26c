"""The data tables under rules/vocab/ (units, colours, categories, markets ...), read once.

They come parsed from the wheel (see ruleset/documents.py); a source checkout parses them
with libyaml's C loader.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any


def _path(name: str) -> Path:
    from listcheck.ruleset.documents import builtin_root

    return builtin_root() / "vocab" / f"{name}.yaml"


def vocab_exists(name: str) -> bool:
    """Is there a `rules/vocab/<name>.yaml` (without reading it)?"""
    return _path(name).is_file()


@lru_cache(maxsize=None)
def load_vocab(name: str) -> Any:
    """The parsed `rules/vocab/<name>.yaml`, or None when there is no such file."""
    from listcheck.ruleset.documents import load_document

    path = _path(name)
    if not path.is_file():
        return None
    return load_document(path, builtin=True).data

