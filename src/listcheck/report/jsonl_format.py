"""JSON Lines: one finding per line, and nothing else.

Each line is one finding object exactly as it appears in the JSON report's `findings` array
(every field present, `null` when empty, `message` in the requested language), in report order.
The summary and tool information are deliberately *not* included, so every line has the same
shape and `jq`, `grep` or a log shipper can take the stream as is. Use `--format json` for the
summary. A report with no findings writes nothing at all.
"""

from __future__ import annotations

import json
from typing import Optional, TextIO

from listcheck.model import Finding, Report
from listcheck.report.common import ProductHeader, finding_json


def render(
    report: Report,
    out: TextIO,
    *,
    lang: str = "en",
    color: Optional[bool] = None,
    products: Optional[dict[str, ProductHeader]] = None,
) -> None:
    del color, products
    for finding in report.findings:
        write_finding(finding, out, lang=lang)


def write_finding(finding: Finding, out: TextIO, *, lang: str = "en") -> None:
    """One line; also what a streamed run writes as each product is checked (flat memory)."""
    out.write(json.dumps(finding_json(finding, lang), ensure_ascii=False))
    out.write("\n")
