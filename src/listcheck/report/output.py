"""Writing a finished run's reports: to a file, to stdout, or one per supplier (`--split-by`).

A report that cannot be written — opened, written, flushed or closed (a missing folder, a full
disk) — is a ListcheckError naming the file (STDOUT for stdout). A closed pipe (`| head`) stays
a BrokenPipeError: the reader went away, which is not an error of the run.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Optional

from listcheck.errors import ListcheckError
from listcheck.model import Report
from listcheck.report.common import ProductHeader

# How an error names stdout, where a report goes without --output.
STDOUT = "<stdout>"


def write_report(
    report: Report, fmt: str, path: Optional[Path], *, lang: str,
    products: Optional[dict[str, ProductHeader]] = None,
) -> None:
    """Write `report` in `fmt` to `path`, or to stdout when None; `products`: the headers of
    products with findings, for the formats that show titles and suppliers."""
    from listcheck.report import render

    if path is None:
        try:
            render(report, fmt, sys.stdout, lang=lang, products=products)
            sys.stdout.flush()  # fail here, naming stdout, not at exit naming nothing
        except BrokenPipeError:
            raise
        except OSError as exc:
            if not _from_output(exc, None):
                raise
            discard_stdout()
            raise write_error(exc, None) from None
        return
    try:
        handle = open(path, "w", encoding="utf-8", newline="")
    except OSError as exc:
        raise write_error(exc, path) from None
    try:
        with handle:  # closing flushes: a full disk may only show here
            render(report, fmt, handle, lang=lang, color=False, products=products)
    except OSError as exc:
        if not _from_output(exc, path):
            raise
        raise write_error(exc, path) from None


def write_error(exc: OSError, path: Optional[Path]) -> ListcheckError:
    """The one-line error for a report that cannot be written to `path` (None: stdout)."""
    reason = exc.strerror or str(exc) or type(exc).__name__
    return ListcheckError(f"cannot write the report: {reason}", path=STDOUT if path is None else str(path))


def _from_output(exc: OSError, path: Optional[Path]) -> bool:
    """Whether `exc` came from writing the report rather than from opening another file (a
    renderer's template): a failed write(2) or close(2) names no file."""
    return exc.filename is None or (path is not None and exc.filename == str(path))


def discard_stdout() -> None:
    """After a write to stdout failed, what is left in its buffer would fail again when the
    interpreter flushes it at exit (a second message on stderr): send it to the null device."""
    try:
        sys.stdout.flush()
        return
    except OSError:
        pass
    try:
        descriptor = sys.stdout.fileno()
        null = os.open(os.devnull, os.O_WRONLY)
    except (OSError, ValueError):  # not a real file (a test's capture): nothing left at exit
        return
    try:
        os.dup2(null, descriptor)
    finally:
        os.close(null)
    try:
        sys.stdout.flush()
    except OSError:
        pass
