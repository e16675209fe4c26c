"""Resource limits: explicit, documented, with defaults that suit a laptop and a CI runner.

Every limit guards against one way a hostile or broken input could exhaust memory or time;
none of them is reached by a real catalog or rule pack. docs/limits.md says what happens at
each one and how to raise it.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

MiB = 1024**2


@dataclass(frozen=True)
class Limits:
    # A catalog file larger than this is refused with a message (not read half-way).
    max_file_bytes: int = 2 * 1024**3
    # YAML and JSON catalogs are parsed in one piece (YAML costs ~50x its size in memory):
    # a larger one is refused. An .xlsx whose parts unpack to more than max_file_bytes is
    # refused too. Streamed formats (CSV, JSON Lines) are bounded by max_file_bytes only.
    max_document_bytes: int = 64 * MiB
    # One record of a streamed catalog (a JSON Lines line, a CSV row) larger than this becomes
    # an `input/record-too-large` finding; it is skipped without being read into memory.
    max_record_bytes: int = 10 * MiB
    # A single text field longer than this is checked only up to the limit.
    max_field_chars: int = 100_000
    # Wall-clock budget for one regex search over one field (seconds).
    regex_timeout: float = 0.25

    def __post_init__(self) -> None:
        for name in ("max_file_bytes", "max_document_bytes", "max_record_bytes", "max_field_chars"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ValueError(f"limits.{name} must be a positive whole number, got {value!r}")
        timeout = self.regex_timeout
        if isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or not timeout > 0:
            raise ValueError(f"limits.regex_timeout must be a positive number of seconds, got {timeout!r}")


DEFAULT_LIMITS = Limits()

_SIZE = re.compile(r"\s*([0-9]+(?:\.[0-9]+)?)\s*(?:([kmgt])(?:i?b)?|b)?\s*", re.IGNORECASE)
_UNITS = {None: 1, "k": 1024, "m": 1024**2, "g": 1024**3, "t": 1024**4}


def parse_size(text: str) -> int:
    """A size as a CLI option writes it: `10485760`, `500k`, `10M`, `64MiB`, `2GiB` (K/M/G/T
    are powers of 1024). ValueError, with the accepted forms, for anything else."""
    found = _SIZE.fullmatch(text)
    if found is None:
        raise ValueError(f"not a size: {text!r} (write bytes, or a number with K, M or G, e.g. 64MiB)")
    number, unit = found.groups()
    scaled = float(number) * _UNITS[unit.lower() if unit else None]
    if not math.isfinite(scaled):
        raise ValueError(f"a size must be a number of bytes a file can have, got {text!r}")
    size = int(scaled)
    if size < 1:
        raise ValueError(f"a size must be at least 1 byte, got {text!r}")
    return size

# Fixed bounds, not options: far beyond any real file, far below what would crash the parser.
# Collections nested deeper than this in a YAML catalog, rule pack or config are refused
# (libyaml's composer recurses in C: 100,000 levels of `[` would crash the process).
MAX_YAML_DEPTH = 100
# A catalog record nested deeper than this (JSON, or a dotted path such as `spec.a.b.c…`) is
# an `input/invalid-record` finding: deeper records crash pickling for --jobs and recursive code.
MAX_RECORD_DEPTH = 100
# YAML aliases may re-use at most this many nodes (or 10x the document's own nodes, if more)
# before the document is refused as an alias bomb ("billion laughs").
MAX_YAML_ALIAS_NODES = 1_000_000
YAML_ALIAS_FACTOR = 10
# A rule pack or listcheck.yaml larger than this is refused (real packs are a few 100 KB).
MAX_PACK_BYTES = 16 * MiB
# A regular expression in a rule pack: its length, its size once repeats are expanded
# (`a{1000000}` compiles to a million nodes; the `regex` module runs out of memory or crashes
# on bigger ones), and how deeply its groups nest.
MAX_REGEX_CHARS = 100_000
MAX_REGEX_SIZE = 100_000
MAX_REGEX_DEPTH = 50
# ... and the expanded size of all the regular expressions of the packs loaded together.
MAX_REGEX_TOTAL = 1_000_000
