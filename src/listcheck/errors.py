"""Typed errors: raised by loaders and the rule-pack compiler, turned into one line by the CLI.

Every error that stops a run names the file, and the line and field when known, so the user
can go straight to it. None of them should ever reach the user as a traceback.
"""

from __future__ import annotations

from typing import Optional


class ListcheckError(Exception):
    """A run cannot be done (exit 2)."""

    def __init__(
        self,
        message: str,
        *,
        path: Optional[str] = None,
        line: Optional[int] = None,
        field: Optional[str] = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line
        self.field = field

    def __str__(self) -> str:
        where = ""
        if self.path:
            where = str(self.path)
            if self.line:
                where += f":{self.line}"
            where += ": "
        field = f"{self.field}: " if self.field else ""
        return f"{where}{field}{self.message}"


class CatalogError(ListcheckError):
    """A catalog file cannot be read at all (missing, unreadable, unknown format, bad encoding)."""


class RulePackError(ListcheckError):
    """A rule pack is broken: bad YAML, unknown kind, missing id, invalid regex, ..."""


class ConfigError(ListcheckError):
    """listcheck.yaml is broken."""


class RecordError(Exception):
    """One catalog record is invalid; the loader turns it into an `input` finding."""

    def __init__(self, message: str, *, field: Optional[str] = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
