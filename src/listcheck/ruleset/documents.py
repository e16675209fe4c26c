"""YAML documents as the loaders use them: the data and {path of keys: line}.

The built-in rule packs and vocabularies are parsed when the wheel is built (setup.py calls
`write_table`), into one table beside them: a one-product run otherwise spends about a fifth
of its time importing PyYAML and parsing 260 KB of packs that never change. A built-in file is
taken from the table only when its bytes still have the digest recorded there, so an edited
file (an editable install, a patched site-packages) is parsed from its YAML like any other.

marshal, not pickle: the table holds plain data only (str, int, float, bool, None, lists,
dicts, tuples), and marshal can build nothing else.
"""

from __future__ import annotations

import hashlib
import marshal
from importlib import resources
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple, Optional

from listcheck.errors import ListcheckError
from listcheck.ruleset.lines import PathKey, line_for  # noqa: F401 - line_for is read from here too

TABLE_NAME = "_parsed.marshal"
# Bumped when what a table entry holds changes; a table of another format is not read.
TABLE_FORMAT = 1


def builtin_root() -> Path:
    """The folder of the built-in packs and vocabularies (`rules/` in a checkout)."""
    return Path(str(resources.files("listcheck.rules")))


class Document(NamedTuple):
    data: Any
    lines: dict[PathKey, int]
    # From the table: a built-in file exactly as shipped and tested, which `listcheck rules
    # validate` has checked (its regexes compile); not an edited or added file.
    as_shipped: bool


def load_document(path: Path, error: type[ListcheckError] = ListcheckError, *, builtin: bool = False) -> Document:
    """One YAML document's data and lines; a built-in file from the table when it is current.
    `builtin`: a file in listcheck's own rules folder (trusted: not passed through the guard)."""
    if builtin:
        parsed = prebuilt(path)
        if parsed is not None:
            return Document(*parsed, as_shipped=True)
    from listcheck.ruleset.yaml_lines import load_yaml_with_lines

    return Document(*load_yaml_with_lines(path, error, trusted=builtin), as_shipped=False)


def prebuilt(path: Path) -> Optional[tuple[Any, dict[PathKey, int]]]:
    """(data, lines) of a built-in file as parsed at build time, or None: no table, a file
    not in it, or a file whose bytes changed since."""
    root = builtin_root()
    table = _table(root)
    if not table:
        return None
    try:
        entry = table.get(path.relative_to(root).as_posix())
        if entry is None:
            return None
        digest, blob = entry
        if _digest(path.read_bytes()) != digest:
            return None
        return marshal.loads(blob)  # a new copy each call: callers may change what they get
    except (OSError, ValueError, EOFError, TypeError):
        return None


@lru_cache(maxsize=None)
def _table(root: Path) -> dict[str, tuple[bytes, bytes]]:
    try:
        table_format, entries = marshal.loads((root / TABLE_NAME).read_bytes())
    except (OSError, ValueError, EOFError, TypeError):
        return {}
    return entries if table_format == TABLE_FORMAT and isinstance(entries, dict) else {}


def _digest(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=16).digest()


def build_table(root: Path) -> dict[str, tuple[bytes, bytes]]:
    """{path under root: (digest of the file, marshalled (data, lines))} for every *.yaml
    under `root`. A file whose data marshal cannot hold (a YAML date, say) is left out: it
    is parsed at run time instead."""
    from listcheck.ruleset.yaml_lines import load_yaml_with_lines

    entries: dict[str, tuple[bytes, bytes]] = {}
    for path in sorted(root.rglob("*.yaml")):
        parsed = load_yaml_with_lines(path, trusted=True)
        try:
            blob = marshal.dumps(parsed, 4)
        except ValueError:
            continue
        entries[path.relative_to(root).as_posix()] = (_digest(path.read_bytes()), blob)
    return entries


def write_table(root: Path) -> Path:
    """Parse the built-in files under `root` and write the table beside them."""
    target = root / TABLE_NAME
    # Version 4, the newest format every Python 3.4+ reads: not whichever the building Python
    # writes by default.
    target.write_bytes(marshal.dumps((TABLE_FORMAT, build_table(root)), 4))
    return target
