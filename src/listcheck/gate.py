"""The CI gate: a finished check run, a baseline, thresholds, and the reports it writes.

The fail threshold is independent of what is displayed: every finding is reported, and the
exit code counts only active findings (not suppressed, not baselined) at or above `fail_on`,
plus `--max-warnings` when given.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional

from listcheck.api import CheckRun
from listcheck.errors import ListcheckError
from listcheck.model import Severity


class Gate:
    def __init__(self, run: CheckRun, *, max_warnings: Optional[int] = None) -> None:
        self.run = run
        self.max_warnings = max_warnings
        self.baselined = 0
        self.fixed: Optional[int] = None

    @property
    def report(self):
        return self.run.report

    def apply_baseline(self, path: Path) -> None:
        from listcheck import baseline

        result = baseline.apply_baseline(self.report, baseline.load_baseline(path))
        self.baselined, self.fixed = result.baselined, result.fixed

    def active_warnings(self) -> int:
        # The summary counts active findings only (not suppressed, not baselined).
        return self.report.summary.by_severity.get(Severity.warning.value, 0)

    def too_many_warnings(self) -> bool:
        return self.max_warnings is not None and self.active_warnings() > self.max_warnings

    def exit_code(self) -> int:
        return 1 if self.report.summary.failed or self.too_many_warnings() else 0

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
            reason += f"; {self.active_warnings()} warnings > --max-warnings {self.max_warnings}"
        return f"listcheck: {verdict}: " + "; ".join(parts) + f" ({reason})"

    def write(self, fmt: str, path: Optional[Path], *, lang: str) -> None:
        from listcheck.report import render

        if path is None:
            render(self.report, fmt, sys.stdout, lang=lang, products=self.run.products)
            return
        try:
            handle = open(path, "w", encoding="utf-8", newline="")
        except OSError as exc:
            raise ListcheckError(f"cannot write the report: {exc.strerror}", path=str(path)) from None
        with handle:
            render(self.report, fmt, handle, lang=lang, color=False, products=self.run.products)

    def write_split(self, key: str, out_dir: Path, *, fmt: str, lang: str) -> list[Path]:
        from listcheck.report.split import write_split

        return write_split(self.report, self.run.products, out_dir, key=key, fmt=fmt, lang=lang,
                           counts=self.run.counts.get(key))


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" + ("s" if count != 1 and word != "info" else "")
