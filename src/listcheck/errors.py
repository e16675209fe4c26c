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

    def __reduce__(self) -> tuple:
        # A record travels to a --jobs worker with its error; subclasses take other
        # arguments and callers add attributes (zh, record), so rebuild from the state. Of the
        # record only its sku is read (to name it in the finding) and only that travels: a
        # record nested too deeply to check is too deep to pickle.
        state = dict(self.__dict__)
        record = state.get("record")
        if isinstance(record, dict):
            state["record"] = {"sku": record["sku"]} if isinstance(record.get("sku"), (str, int, float)) else {}
        return (_rebuild_error, (type(self), self.args, state))


def _rebuild_error(cls: type, args: tuple, state: dict) -> Exception:
    error = cls.__new__(cls)
    Exception.__init__(error, *args)
    error.__dict__.update(state)
    return error
