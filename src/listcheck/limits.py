"""Resource limits: explicit, documented, with defaults that suit a laptop and a CI runner."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Limits:
    # A catalog file larger than this is refused with a message (not read half-way).
    max_file_bytes: int = 2 * 1024**3
    # A single text field longer than this is checked only up to the limit, with a finding.
    max_field_chars: int = 100_000
    # Wall-clock budget for one regex search over one field (seconds).
    regex_timeout: float = 0.25


DEFAULT_LIMITS = Limits()
