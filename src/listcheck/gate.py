"""The CI gate: a finished check run, a baseline, thresholds, and the reports it writes.

The fail threshold is independent of what is displayed: every finding is reported, and the
exit code counts only active findings (not suppressed, not baselined) at or above `fail_on`,
plus `max_warnings` when given. Both are decided once, in the report's summary
(`summary.failed`), so the exit code and every report's verdict say the same.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Iterable, Optional

from listcheck.api import CheckRun
from listcheck.errors import ListcheckError
from listcheck.model import Severity
from listcheck.policy import too_many_warnings


class Gate:
    def __init__(self, run: CheckRun) -> None:
        self.run = run
        self.baselined = 0
        self.fixed: Optional[int] = None

    @property
    def report(self):
        return self.run.report

    def apply_baseline(self, fingerprints: Iterable[str]) -> None:
        """Mark the findings of a baseline (`baseline.load_baseline`) as baselined."""
        from listcheck import baseline

        result = baseline.apply_baseline(self.report, fingerprints)
        self.baselined, self.fixed = result.baselined, result.fixed

    def active_warnings(self) -> int:
        # The summary counts active findings only (not suppressed, not baselined).
        return self.report.summary.by_severity.get(Severity.warning.value, 0)

    def too_many_warnings(self) -> bool:
        return too_many_warnings(self.report.summary.by_severity, self.report.summary.max_warnings)

    def exit_code(self) -> int:
        return 1 if self.report.summary.failed else 0

    def summary_line(self) -> str:
        summary = self.report.summary
        counts = ", ".join(_plural(summary.by_severity.get(s, 0), s) for s in ("error", "warning", "info"))
        parts = [f"{counts} in {summary.products_with_findings} of {summary.products} products"]
        if summary.suppressed:
            parts.append(f"{summary.suppressed} suppressed")
        if self.fixed is not None:
            parts.append(f"{self.baselined} baselined, {self.fixed} baseline entries fixed")
        verdict = "FAILED" if self.exit_code() else "passed"
        reason = f"fail on {summary.fail_on}"
        if self.too_many_warnings():
            reason += f"; {self.active_warnings()} warnings > --max-warnings {self.report.summary.max_warnings}"
        return f"listcheck: {verdict}: " + "; ".join(parts) + f" ({reason})"

    def write(self, fmt: str, path: Optional[Path], *, lang: str) -> None:
        """Write the report in `fmt` to `path`, or to stdout when None. A report that cannot be
        written — opened, written, flushed or closed (a missing folder, a full disk) — is a
        ListcheckError naming the file (STDOUT for stdout). A closed pipe (`| head`) stays a
        BrokenPipeError: the reader went away, which is not an error of the run."""
        from listcheck.report import render

        if path is None:
            try:
                render(self.report, fmt, sys.stdout, lang=lang, products=self.run.products)
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
                render(self.report, fmt, handle, lang=lang, color=False, products=self.run.products)
        except OSError as exc:
            if not _from_output(exc, path):
                raise
            raise write_error(exc, path) from None

    def write_split(self, key: str, out_dir: Path, *, fmt: str, lang: str) -> list[Path]:
        from listcheck.report.split import write_split

        return write_split(self.report, self.run.products, out_dir, key=key, fmt=fmt, lang=lang,
                           counts=self.run.counts.get(key))


# How an error names stdout, where a report goes without --output.
STDOUT = "<stdout>"


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


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" + ("s" if count != 1 and word != "info" else "")
