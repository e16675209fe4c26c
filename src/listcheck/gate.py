"""The CI gate: a finished run's exit code.

The fail threshold is independent of what is displayed: every finding is reported, and the
exit code counts only active findings (not suppressed, not baselined) at or above `fail_on`,
plus `max_warnings` when given. Both are decided once, by the policy stage, in the report's
summary (`summary.failed`), so the exit code and every report's verdict say the same.
"""

from __future__ import annotations

from listcheck.model import Summary

# Exit codes: the run passed; it found what fails the gate; it could not start or finish
# (a bad config, an unreadable catalog, a report that cannot be written: errors.ListcheckError).
PASSED, FAILED, ERROR = 0, 1, 2


def exit_code(summary: Summary) -> int:
    return FAILED if summary.failed else PASSED
